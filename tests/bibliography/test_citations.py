"""Formatted citations checked against hand-written APA 7, Chicago 17 author-date and Harvard strings.

The expectations were written from the style guides, not copied from the output; they caught the
citeproc-py glitches corrected in bibliography/formats/citations.py (initials in Chicago, hyphenated
given names, punctuation inside quotes, APA's '(Ed.)').
"""

import json

import pytest

from bibliography.formats.citations import STYLES, format_all, format_citation
from bibliography.formats.csljson import record_to_csl, write_csljson
from bibliography.formats.records import BibRecord, Creator

ARTICLE = BibRecord(
    entry_type="article",
    citation_key="smith2019",
    title="Migrant smuggling in Southeast Asia: Routes and actors",
    creators=[Creator("Smith", "Jane A."), Creator("Nguyen", "Van Minh")],
    year=2019,
    date="2019-03",
    container_title="Journal of Migration Studies",
    volume="12",
    issue="3",
    pages="45\u201367",
    doi="10.1234/jms.2019.003",
)
REPORT = BibRecord(
    entry_type="report",
    citation_key="unodc2018",
    title="Global study on smuggling of migrants 2018",
    creators=[Creator("United Nations Office on Drugs and Crime", kind="organisation")],
    year=2018,
    publisher="United Nations",
    place="Vienna",
    url="https://www.unodc.org/glosom",
)
BOOK = BibRecord(
    entry_type="book",
    citation_key="lee2015",
    title="Smuggling and the state",
    creators=[Creator("Lee", "Min-ho"), Creator("Tan", "Wei"), Creator("Kaur", "Amar")],
    year=2015,
    publisher="Routledge",
    place="London",
)
CHAPTER = BibRecord(
    entry_type="chapter",
    citation_key="chea2020",
    title="Brokers at the border",
    creators=[Creator("Chea", "Sokha"), Creator("Ford", "Michele", role="editor")],
    year=2020,
    container_title="Labour migration in Asia",
    publisher="Springer",
    place="Singapore",
    pages="101\u2013120",
)

EXPECTED = {
    (
        "apa",
        "article",
    ): "Smith, J. A., & Nguyen, V. M. (2019). Migrant smuggling in Southeast Asia: Routes and "
    "actors. Journal of Migration Studies, 12(3), 45–67. https://doi.org/10.1234/jms.2019.003",
    (
        "apa",
        "report",
    ): "United Nations Office on Drugs and Crime. (2018). Global study on smuggling of migrants "
    "2018. United Nations. https://www.unodc.org/glosom",
    ("apa", "book"): "Lee, M.-H., Tan, W., & Kaur, A. (2015). Smuggling and the state. Routledge.",
    ("apa", "chapter"): "Chea, S. (2020). Brokers at the border. In M. Ford (Ed.), Labour migration in Asia "
    "(pp. 101–120). Springer.",
    (
        "chicago",
        "article",
    ): "Smith, Jane A., and Van Minh Nguyen. 2019. “Migrant Smuggling in Southeast Asia: "
    "Routes and Actors.” Journal of Migration Studies 12 (3): 45–67. https://doi.org/10.1234/jms.2019.003.",
    ("chicago", "report"): "United Nations Office on Drugs and Crime. 2018. Global Study on Smuggling of "
    "Migrants 2018. Vienna: United Nations. https://www.unodc.org/glosom.",
    (
        "chicago",
        "book",
    ): "Lee, Min-ho, Wei Tan, and Amar Kaur. 2015. Smuggling and the State. London: Routledge.",
    ("chicago", "chapter"): "Chea, Sokha. 2020. “Brokers at the Border.” In Labour Migration in Asia, edited "
    "by Michele Ford, 101–20. Singapore: Springer.",
    (
        "harvard",
        "article",
    ): "Smith, J.A. and Nguyen, V.M. (2019) ‘Migrant smuggling in Southeast Asia: Routes "
    "and actors’, Journal of Migration Studies, 12(3), pp. 45–67. Available at: "
    "https://doi.org/10.1234/jms.2019.003.",
    ("harvard", "report"): "United Nations Office on Drugs and Crime (2018) Global study on smuggling of "
    "migrants 2018. Vienna: United Nations. Available at: https://www.unodc.org/glosom.",
    (
        "harvard",
        "book",
    ): "Lee, M.-H., Tan, W. and Kaur, A. (2015) Smuggling and the state. London: Routledge.",
    (
        "harvard",
        "chapter",
    ): "Chea, S. (2020) ‘Brokers at the border’, in M. Ford (ed.) Labour migration in Asia. "
    "Singapore: Springer, pp. 101–120.",
}
TRANSLATED = BibRecord(
    entry_type="article",
    citation_key="wang2018",
    title="Characteristics of migrant smuggling in Yunnan",
    original_title="云南边境地区偷运移民活动的特点",
    creators=[Creator("王", "建华"), Creator("ศรีสุข", "ปรีชา")],
    year=2018,
    container_title="边疆经济与文化",
    issue="6",
    pages="45–52",
)
EXPECTED[("apa", "translated")] = (
    "王建华, & ปรีชา ศรีสุข. (2018). 云南边境地区偷运移民活动的特点 [Characteristics of migrant smuggling in "
    "Yunnan]. 边疆经济与文化, (6), 45–52."
)
RECORDS = {"article": ARTICLE, "report": REPORT, "book": BOOK, "chapter": CHAPTER, "translated": TRANSLATED}


@pytest.mark.parametrize(("style", "kind"), sorted(EXPECTED))
def test_plain_citation_matches_the_style_guide(style, kind):
    assert format_citation(RECORDS[kind], style, as_html=False) == EXPECTED[(style, kind)]


def test_html_citation_italicises_the_container_and_escapes():
    html = format_citation(ARTICLE, "apa")
    assert "<i>Journal of Migration Studies</i>" in html
    assert "&amp;" in html


def test_format_all_gives_every_style():
    result = format_all(BOOK)
    assert set(result) == set(STYLES) == {"apa", "chicago", "harvard"}
    assert result["apa"]["text"] == EXPECTED[("apa", "book")]


def test_csl_json_item():
    item = record_to_csl(REPORT)
    assert item["type"] == "report"
    assert item["author"] == [{"literal": "United Nations Office on Drugs and Crime"}]
    assert item["issued"] == {"date-parts": [[2018]]}
    assert json.loads(write_csljson([ARTICLE]))[0]["issued"] == {"date-parts": [[2019, 3]]}
    assert json.loads(write_csljson([ARTICLE]))[0]["page"] == "45–67"


@pytest.mark.parametrize("style", sorted(STYLES))
def test_citation_html_escapes_what_the_record_says(style):
    record = BibRecord(entry_type="article", title="<script>alert(1)</script> R&D", year=2020,
                       creators=[Creator("<img src=x onerror=alert(1)>", "A")], container_title="<i>J</i>")  # fmt: skip
    markup = format_citation(record, style)
    assert "<script>" not in markup and "<img" not in markup and "<i>&lt;i&gt;J" in markup
    assert "<script>alert(1)</script> R&D" in format_citation(record, style, as_html=False)
