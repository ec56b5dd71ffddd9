// Staff controls of the live agenda clock: start next / end current / jump / end the meeting,
// and the warning when the projected end passes the latest acceptable end.
import { computeClock } from "./clock.js";
import { jumpChoices, replaceChoices } from "./live/agenda.js";
import { serverOffset } from "./live/clock-rules.js";
import { format, readJSON } from "./live/data.js";
import { announce } from "./live/dom.js";
import { zoneLine } from "./live/time.js";
import { confirmAction } from "./live/confirm-dialog.js";

/** The item after the current one (the default of "Jump to item"), or undefined. */
export function followingItem(clock) {
  const current = clock.items.find((x) => x.id === clock.current_item_id) || { position: -1 };
  return clock.items.find((i) => i.position > current.position);
}

/** Drive `root` (a `[data-clock-controls]` element) from `connection`; call before `start()`. */
export function attachClockControls(connection, root) {
  if (root.dataset.attached) return;
  root.dataset.attached = "clock-controls";
  const strings = readJSON(root, "strings", {});
  const times = readJSON(root, "times", null);
  const warning = root.querySelector("[data-clock-warning]");
  const feedback = root.querySelector("[data-clock-feedback]");
  const jump = root.querySelector("[data-clock-jump]");
  let state = null;
  let offset = 0;

  function renderWarning() {
    if (!state || !warning) return;
    const c = computeClock(state, Date.now() + offset);
    const show = c.pastLatest && state.status !== "ended";
    const text = show ? format(strings.warning, {
      end: zoneLine(new Date(c.projected).toISOString(), times),
      latest: zoneLine(state.latest_end, times),
    }) : "";
    if (warning.textContent !== text) warning.textContent = text;
    warning.hidden = !show;
  }

  function apply(next) {
    if (!next || !next.items) return;
    state = next;
    offset = serverOffset(next.now);
    replaceChoices(jump, jumpChoices(next.items));
    if (jump && next.current_item_id) {
      const following = followingItem(next);
      if (following && document.activeElement !== jump) jump.value = String(following.id);
    }
    renderWarning();
  }

  for (const button of root.querySelectorAll("[data-clock-command]")) {
    button.addEventListener("click", async () => {
      const command = button.dataset.clockCommand;
      if (command === "end_meeting" && !(await confirmAction({
        title: strings.end_title, message: strings.confirm_end, action: strings.end_action,
      }, button))) return;
      const payload = command === "jump_to_item" ? { item_id: Number(jump.value) } : {};
      button.disabled = true;
      const ack = await connection.send(command, payload);
      button.disabled = false;
      // Disabling the button while the command travels took focus from it: give it back.
      if (document.activeElement === document.body) button.focus();
      const message = ack.ok ? strings.done : (ack.error && ack.error.message) || "";
      feedback.textContent = message;
      if (ack.ok && ack.clock) apply(ack.clock);
      if (message) announce(message);
    });
  }
  connection.onSnapshot((snapshot) => apply(snapshot.clock));
  connection.on("clock_changed", (data) => apply(data.clock));
  connection.on("agenda_changed", (data) => apply(data.clock));
  window.setInterval(renderWarning, 5000);
}
