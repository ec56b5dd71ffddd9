// The live agenda clock: current item, elapsed vs planned, overrun and the projected end in the
// meeting's zone and the viewer's. The server sends recorded times; this module keeps counting.
//
// A page that owns the live connection imports `attachClock(connection, root)` and calls it
// before `connection.start()`. A page without such a module gets everything started here.
import { connectFromPage } from "./live/connection.js";
import { computeClock } from "./live/clock-rules.js";
import { dualClock, placeName, viewerZone } from "./live/time.js";

export { computeClock };

// --- shared by board.js and clock-controls.js for pages that have no other live module ------

let sharedConnection = null;
let ownedByPage = false;
let startQueued = false;

/** The page's one connection when the clock, controls or board run on their own. */
export function pageConnection() {
  if (!sharedConnection) {
    sharedConnection = connectFromPage(document.querySelector("[data-meeting-id]") || document.body);
    const status = document.querySelector("[data-live-status]");
    if (status) {
      sharedConnection.onStatus((state, message) => {
        status.textContent = state === "refused" && message ? message : "";
      });
    }
  }
  return sharedConnection;
}

/** Called by the exported attach functions: another module owns the connection. */
export function markAttachedByPage() {
  ownedByPage = true;
}

/** Attach every unattached `selector` root to the shared connection once the page is parsed. */
export function autoStart(selector, bind) {
  const run = () => {
    if (ownedByPage || document.querySelector("[data-live-owner]")) return;
    const roots = [...document.querySelectorAll(selector)].filter((r) => !r.dataset.attached);
    if (!roots.length) return;
    const connection = pageConnection();
    for (const root of roots) bind(connection, root);
    if (!startQueued) {
      startQueued = true;
      window.setTimeout(() => connection.start(), 0);
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else window.setTimeout(run, 0);
}

export function readJson(root, name, fallback) {
  try {
    return JSON.parse(root.dataset[name] || "");
  } catch {
    return fallback;
  }
}

export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

/** "11:30 Shanghai · 22:30 Lima (-1 day)" */
export function dualText(iso, meetingZone, strings) {
  const t = dualClock(iso, meetingZone);
  let text = `${t.meeting} ${placeName(meetingZone)}`;
  if (t.viewer) {
    text += ` · ${t.viewer} ${placeName(viewerZone)}`;
    if (t.dayShift > 0) text += ` (${strings.day_after || "+1"})`;
    if (t.dayShift < 0) text += ` (${strings.day_before || "-1"})`;
  }
  return text;
}

// --- the clock ----------------------------------------------------------------------------

function bind(connection, root) {
  if (root.dataset.attached) return;
  root.dataset.attached = "clock";
  const strings = readJson(root, "strings", {});
  const zone = root.dataset.meetingZone;
  const parts = {
    item: root.querySelector("[data-clock-item]"),
    elapsed: root.querySelector("[data-clock-elapsed]"),
    overrun: root.querySelector("[data-clock-overrun]"),
    end: root.querySelector("[data-clock-end]"),
    qa: root.querySelector("[data-clock-qa]"),
  };
  let state = readJson(root, "state", null);
  let offset = state ? Date.parse(state.now) - Date.now() : 0;

  function set(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function render() {
    if (!state) return;
    const c = computeClock(state, Date.now() + offset);
    root.classList.toggle("is-over", c.overrun > 0 || c.itemOver > 0);
    root.dataset.status = state.status;
    if (state.status === "ended") set(parts.item, strings.ended);
    else if (c.current) set(parts.item, c.current.title);
    else if (state.status === "live") set(parts.item, strings.between);
    else set(parts.item, strings.not_started);
    let elapsed = "";
    if (c.current && c.elapsed !== null) {
      elapsed = fill(strings.elapsed, { elapsed: c.elapsed, planned: c.current.planned_minutes });
      if (c.itemOver > 0) elapsed += ` · ${fill(strings.item_over, { n: c.itemOver })}`;
    }
    set(parts.elapsed, elapsed);
    set(parts.overrun, c.overrun > 0 ? fill(strings.meeting_over, { n: c.overrun })
      : (state.status === "live" ? strings.on_time : ""));
    const iso = new Date(c.projected).toISOString();
    const endText = fill(state.status === "ended" ? strings.ended_at : strings.projected,
      { time: dualText(iso, zone, strings) });
    set(parts.end, endText);
    if (parts.qa) {
      parts.qa.hidden = c.qaLeft === null;
      set(parts.qa, c.qaLeft === null ? "" : fill(strings.qa_left, { n: c.qaLeft }));
    }
    root.dispatchEvent(new CustomEvent("clock:render", { detail: { state, computed: c } }));
  }

  function apply(next) {
    if (!next || !next.items) return;
    state = next;
    offset = Date.parse(next.now) - Date.now();
    render();
  }

  connection.onSnapshot((snapshot) => apply(snapshot.clock));
  connection.on("clock_changed", (data) => apply(data.clock));
  render();
  window.setInterval(render, 5000);
  return { render, get state() { return state; } };
}

/** Drive `root` (a `[data-clock]` element) from `connection`; call before `start()`. */
export function attachClock(connection, root = document.querySelector("[data-clock]")) {
  markAttachedByPage();
  return root ? bind(connection, root) : null;
}

autoStart("[data-clock]", bind);
