// Progressive enhancements for every page: language auto-submit, viewer's local times.
import { placeName, viewerZone } from "./live/time.js";

const autosubmit = document.querySelectorAll("select[data-autosubmit]");
for (const select of autosubmit) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
document.documentElement.classList.add("js");

// IANA names use only letters, digits, "/", "_", "+" and "-": safe in a cookie as they are.
if (viewerZone && /^[A-Za-z0-9/_+-]+$/.test(viewerZone) &&
    !document.cookie.split("; ").includes(`tz=${viewerZone}`)) {
  // Remember the browser's zone so the server renders both clocks on the next page.
  document.cookie = `tz=${viewerZone}; path=/; max-age=31536000; SameSite=Lax`;
}

const lang = document.documentElement.lang || undefined;

export function formatLocal(iso, withDate) {
  const date = new Date(iso);
  const options = withDate
    ? { dateStyle: "full", timeStyle: "short" }
    : { hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(lang, options).format(date);
}

// Times the server could not show in the viewer's zone (first visit): fill them in here.
for (const span of document.querySelectorAll("[data-local-time]")) {
  const time = span.closest("time");
  if (!time) continue;
  const meetingText = time.querySelector(".meeting-time")?.textContent ?? "";
  const local = formatLocal(time.dateTime, false);
  if (!meetingText.includes(local)) {
    span.textContent = ` · ${local} (${placeName(viewerZone)})`;
    span.hidden = false;
  }
}
for (const time of document.querySelectorAll("time[data-local-time-full]")) {
  time.textContent = formatLocal(time.dateTime, true);
}
