// Title suggestions as the user types, from /search/suggest/ (same access policy as the search).
(function () {
    "use strict";
    var input = document.querySelector("input[data-suggest-url]");
    if (!input || !window.fetch) { return; }
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
        window.clearTimeout(timer);
        var text = input.value.trim();
        if (text.length < 2) { list.replaceChildren(); return; }
        timer = window.setTimeout(function () {
            var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(text);
            fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
                .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
                .then(function (data) {
                    list.replaceChildren.apply(list, data.suggestions.map(function (item) {
                        var option = document.createElement("option");
                        option.value = item.title;
                        return option;
                    }));
                })
                .catch(function () { /* suggestions are a convenience; the search still works */ });
        }, 200);
    });
}());
