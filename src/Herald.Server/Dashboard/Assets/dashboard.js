// Herald dashboard: the copy buttons. Delegated from the document, so it keeps working after enhanced navigation.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  const status = button.parentElement.querySelector(".copy-status");
  if (!source) return;
  try {
    await navigator.clipboard.writeText(source.value ?? source.textContent);
    if (status) status.textContent = "Copied.";
  } catch {
    source.select?.();
    if (status) status.textContent = "Copying was refused by the browser; the text is selected, press Ctrl+C.";
  }
});
