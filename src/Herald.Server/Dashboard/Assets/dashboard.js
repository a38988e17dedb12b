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

// Live rows: while a page shows a publications table (data-live), the dashboard's event stream updates each row's
// status, link and error as the workers change them. The browser reconnects by itself after a drop and sends the last
// event id, so nothing is missed; the stream is closed when a navigation leaves no such table.
let liveEvents = null;

function followPublications() {
  const table = document.querySelector("[data-live=publications]");
  if (!table) {
    liveEvents?.close();
    liveEvents = null;
    return;
  }
  if (liveEvents) return;
  // From when the page read its rows, so a change made before the stream opened is not missed.
  liveEvents = new EventSource(`/dashboard/events?lastEventId=${encodeURIComponent(table.dataset.liveFrom ?? "")}`);
  liveEvents.addEventListener("publication", (event) => showPublication(JSON.parse(event.data)));
}

function showPublication(publication) {
  for (const row of document.querySelectorAll(`tr[data-publication="${CSS.escape(publication.id)}"]`)) {
    const badge = row.querySelector("[data-field=status] .badge");
    if (badge && badge.textContent !== publication.status) {
      badge.className = `badge status-${publication.status.toLowerCase()}`;
      badge.textContent = publication.status;
    }
    const error = row.querySelector("[data-field=error]");
    if (error) error.textContent = publication.error ?? "";
    const post = row.querySelector("[data-field=post]");
    if (post) {
      const title = row.querySelector("td a")?.textContent ?? "the post";
      const platform = publication.platform;
      post.replaceChildren();
      if (publication.url) {
        const link = document.createElement("a");
        link.href = publication.url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        link.textContent = "open";
        const hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = ` ${title} on ${platform}`;
        link.append(hidden);
        post.append(link);
      }
    }
  }
}

followPublications();
document.addEventListener("DOMContentLoaded", followPublications);
window.Blazor?.addEventListener?.("enhancedload", followPublications);

// Times are shown in the browser's zone: the server reads it from the herald_tz cookie, kept here. When the zone is new
// (the first visit, or a trip abroad) and the page already shows times, it is drawn again once, in that zone.
function rememberZone() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  const value = encodeURIComponent(zone);
  const current = document.cookie.split("; ").find((c) => c.startsWith("herald_tz="))?.slice("herald_tz=".length);
  if (current === value) return;
  document.cookie = `herald_tz=${value}; path=/; max-age=31536000; SameSite=Lax`;
  const shown = document.querySelector("[data-viewer-zone]");
  if (shown && sessionStorage.getItem("herald_tz_redrawn") !== zone) {
    sessionStorage.setItem("herald_tz_redrawn", zone); // never a loop, even where cookies are refused
    location.reload();
  }
}
rememberZone();
