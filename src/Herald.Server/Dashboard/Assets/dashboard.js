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

// The Compose page's time-zone picker starts at the browser's own zone (when the server offers it). Run on load and
// after every enhanced navigation, which swaps the page without loading this script again.
function pickBrowserZone() {
  const select = document.querySelector("select[data-browser-zone=default]");
  if (!select) return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && [...select.options].some((o) => o.value === zone)) select.value = zone;
  select.dataset.browserZone = "picked";
}
pickBrowserZone();
document.addEventListener("DOMContentLoaded", pickBrowserZone);
window.Blazor?.addEventListener?.("enhancedload", pickBrowserZone);
