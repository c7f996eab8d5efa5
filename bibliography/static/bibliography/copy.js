// Copy buttons for formatted citations: the text travels in data-copy-text, no inline script needed.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-text]");
  if (!button) return;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(button.dataset.copyText);
    button.textContent = "Copied";
  } catch (error) {
    button.textContent = "Select and copy the citation above";
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});
