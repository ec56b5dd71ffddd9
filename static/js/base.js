// Progressive enhancements for every page: language auto-submit, the viewer's zone cookie.
import { viewerZone } from "./live/time.js";

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
