// Progressive enhancements for every page: the viewer's zone cookie. The language menu has no
// script on purpose: it changes the page only by its "Change" button (WCAG 3.2.2), never on an
// arrow key that moves the selection.
import { viewerZone } from "./live/time.js";
import { bindConfirmForms } from "./live/confirm-dialog.js";

document.documentElement.classList.add("js");

// IANA names use only letters, digits, "/", "_", "+" and "-": safe in a cookie as they are.
if (viewerZone && /^[A-Za-z0-9/_+-]+$/.test(viewerZone) &&
    !document.cookie.split("; ").includes(`tz=${viewerZone}`)) {
  // Remember the browser's zone so the server renders both clocks on the next page.
  document.cookie = `tz=${viewerZone}; path=/; max-age=31536000; SameSite=Lax`;
}

// Forms that delete something ask first (no script: they submit at once).
bindConfirmForms();
