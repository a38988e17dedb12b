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
// status, link and error as the workers change them. It starts from a position the page took before reading its rows,
// so nothing in between is missed; the browser reconnects by itself after a drop (or when the server ends a stream),
// sending the last event id. A hidden tab closes its stream and resumes from that id when shown again; the stream is
// also closed when a navigation leaves no such table.
let liveEvents = null;
let liveFrom = null;

function followPublications() {
  const table = document.querySelector("[data-live=publications]");
  if (!table || document.visibilityState === "hidden") {
    liveEvents?.close();
    liveEvents = null;
    if (!table) liveFrom = null;
    return;
  }
  if (liveEvents) return;
  liveFrom ??= table.dataset.liveFrom;
  liveEvents = new EventSource(`/dashboard/events?lastEventId=${encodeURIComponent(liveFrom ?? "")}`);
  liveEvents.addEventListener("publication", (event) => {
    if (event.lastEventId) liveFrom = event.lastEventId;
    showPublication(JSON.parse(event.data));
  });
  liveEvents.addEventListener("error", () => {
    // Closed for good (signed out, or the server refused the position): say so instead of going stale in silence.
    if (liveEvents?.readyState !== EventSource.CLOSED) return;
    liveEvents = null;
    for (const live of document.querySelectorAll("[data-live=publications]")) {
      live.querySelector("caption").classList.remove("visually-hidden");
      live.querySelector("caption").textContent = "Live updates stopped; reload the page to see the latest.";
    }
  });
}

// A status that changes under the reader is said by screen readers too, politely, through one live region.
function announce(text) {
  let region = document.getElementById("live-announcer");
  if (!region) {
    region = document.createElement("div");
    region.id = "live-announcer";
    region.className = "visually-hidden";
    region.setAttribute("aria-live", "polite");
    document.body.append(region);
  }
  region.textContent = text;
}

function showPublication(publication) {
  for (const row of document.querySelectorAll(`tr[data-publication="${CSS.escape(publication.id)}"]`)) {
    const badge = row.querySelector("[data-field=status] .badge");
    if (badge && badge.textContent !== publication.status) {
      badge.className = `badge status-${publication.status.toLowerCase()}`;
      badge.textContent = publication.status;
      announce(`${row.querySelector("td a")?.textContent ?? "A publication"} on ${publication.platform}: ${publication.status}`);
    }
    const error = row.querySelector("[data-field=error]");
    if (error) error.textContent = publication.error ?? "";
    const post = row.querySelector("[data-field=post]");
    const url = /^https?:\/\//.test(publication.url ?? "") ? publication.url : null;
    const link = post?.querySelector("a");
    if (!post || (link?.href ?? null) === url) continue;
    post.replaceChildren();
    if (url) {
      const title = row.querySelector("td a")?.textContent ?? "the post";
      const open = document.createElement("a");
      open.href = url;
      open.rel = "noopener noreferrer";
      open.target = "_blank";
      open.textContent = "open";
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ` ${title} on ${publication.platform}`;
      open.append(hidden);
      post.append(open);
    }
  }
}

followPublications();
document.addEventListener("DOMContentLoaded", followPublications);
document.addEventListener("visibilitychange", followPublications);
window.Blazor?.addEventListener?.("enhancedload", () => {
  liveEvents?.close();
  liveEvents = null;
  liveFrom = null;
  followPublications();
});

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
