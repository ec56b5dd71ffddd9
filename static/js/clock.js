// The live agenda clock: current item, elapsed vs planned, overrun and the projected end in the
// meeting's zone and the viewer's. The server sends recorded times; this module keeps counting.
//
// ./live-page.js attaches it to the page's connection (`attachClock`) before starting.
import { computeClock, serverOffset } from "./live/clock-rules.js";
import { format, readJSON } from "./live/data.js";
import { setLocalText } from "./live/local-text.js";
import { zoneLine } from "./live/time.js";

export { computeClock };

// --- the clock ----------------------------------------------------------------------------

/** "Rosa (Moderator), Guo Yi (Panellist)"; plain names when everyone is just a speaker. */
export function speakersLine(speakers, roles = {}) {
  const list = speakers || [];
  const named = list.some((speaker) => speaker.role && speaker.role !== "speaker");
  return list.map((speaker) => (named && roles[speaker.role]
    ? `${speaker.name} (${roles[speaker.role]})` : speaker.name)).join(", ");
}

/** Drive `root` (a `[data-clock]` element) from `connection`; call before `start()`. */
export function attachClock(connection, root) {
  if (root.dataset.attached) return;
  root.dataset.attached = "clock";
  const strings = readJSON(root, "strings", {});
  const times = readJSON(root, "times", null);
  const parts = {
    item: root.querySelector("[data-clock-item]"),
    speakers: root.querySelector("[data-clock-speakers]"),
    elapsed: root.querySelector("[data-clock-elapsed]"),
    overrun: root.querySelector("[data-clock-overrun]"),
    end: root.querySelector("[data-clock-end]"),
    qa: root.querySelector("[data-clock-qa]"),
  };
  let state = readJSON(root, "state", null);
  let offset = state ? serverOffset(state.now) : 0;

  function set(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function render() {
    if (!state) return;
    const c = computeClock(state, Date.now() + offset);
    root.classList.toggle("is-over", c.overrun > 0 || c.itemOver > 0);
    root.dataset.status = state.status;
    if (state.status === "ended") setLocalText(parts.item, strings.ended);
    else if (c.current) setLocalText(parts.item, c.current.title);
    else if (state.status === "live") setLocalText(parts.item, strings.between);
    else setLocalText(parts.item, strings.not_started);
    set(parts.speakers, speakersLine(state.status === "ended" || !c.current ? []
      : state.current_speakers, strings.roles));
    let elapsed = "";
    if (c.current && c.elapsed !== null) {
      elapsed = format(strings.elapsed, { elapsed: c.elapsed, planned: c.current.planned_minutes });
      if (c.itemOver > 0) elapsed += ` · ${format(strings.item_over, { n: c.itemOver })}`;
    }
    set(parts.elapsed, elapsed);
    set(parts.overrun, c.overrun > 0 ? format(strings.meeting_over, { n: c.overrun })
      : (state.status === "live" ? strings.on_time : ""));
    const iso = new Date(c.projected).toISOString();
    const endText = format(state.status === "ended" ? strings.ended_at : strings.projected,
      { time: zoneLine(iso, times) });
    set(parts.end, endText);
    if (parts.qa) {
      parts.qa.hidden = c.qaLeft === null;
      set(parts.qa, c.qaLeft === null ? "" : format(strings.qa_left, { n: c.qaLeft }));
    }
    root.dispatchEvent(new CustomEvent("clock:render", { detail: { state, computed: c } }));
  }

  function apply(next) {
    if (!next || !next.items) return;
    state = next;
    offset = serverOffset(next.now);
    render();
  }

  connection.onSnapshot((snapshot) => apply(snapshot.clock));
  connection.on("clock_changed", (data) => apply(data.clock));
  connection.on("agenda_changed", (data) => apply(data.clock));
  render();
  window.setInterval(render, 5000);
  return { render, get state() { return state; } };
}
