// The clock rules the browser must run between two server events (elapsed, overrun, projected
// end), the same rules as webapp/agenda/clock_services.py. Both run the test vectors of
// tests/data/clock_vectors.json (tests/js/clock.test.mjs, tests/agenda/test_clock_vectors.py).
// No DOM and no connection here, so Node's test runner can import it.

const MINUTE = 60000;

const ms = (iso) => (iso ? Date.parse(iso) : null);
const floorMinutes = (delta) => Math.trunc(delta / MINUTE);

/**
 * How far the server's clock is ahead of this browser's (ms), from a server time sent as
 * `now`: add it to `Date.now()` before comparing with any recorded server time.
 */
export function serverOffset(serverNow, localNow = Date.now()) {
  return serverNow ? Date.parse(serverNow) - localNow : 0;
}

/** Milliseconds from the recorded server time `since` to `now` (server time, ms); never < 0. */
export function elapsedSince(since, now) {
  return since ? Math.max(0, now - ms(since)) : null;
}

/** A duration as "m:ss" (minutes keep counting past 59). */
export function minutesSeconds(duration) {
  const seconds = Math.floor(Math.max(0, duration) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The end the plan promises: the planned end, or later when the agenda is longer. */
function plannedFinish(state, items) {
  const agenda = items.reduce((sum, i) => sum + i.planned_minutes, 0);
  return Math.max(ms(state.planned_end), ms(state.starts_at) + agenda * MINUTE);
}

/** The clock at `now` (ms) from the server's recorded `state`. */
export function computeClock(state, now) {
  const items = state.items || [];
  const current = items.find((i) => i.id === state.current_item_id) || null;
  const finish = plannedFinish(state, items);
  let projected;
  let remaining;
  if (state.status === "ended") {
    const ends = items.map((i) => ms(i.actual_end)).filter(Boolean);
    projected = ends.length ? Math.max(...ends) : ms(state.planned_end);
    remaining = [];
  } else {
    let cursor = now;
    if (current) {
      cursor = Math.max(now, ms(current.actual_start) + current.planned_minutes * MINUTE);
      remaining = items.filter((i) => i.position > current.position && !i.actual_end);
    } else {
      remaining = items.filter((i) => !i.actual_start && !i.actual_end);
    }
    const planned = remaining.reduce((sum, i) => sum + i.planned_minutes, 0);
    projected = cursor + planned * MINUTE;
    // before any item started: the plan, unless the planned start has passed
    if (!items.some((i) => i.actual_start)) projected = Math.max(projected, finish);
  }
  const result = {
    current,
    projected,
    overrun: Math.max(0, floorMinutes(projected - finish)),
    elapsed: null,
    itemOver: 0,
    qaLeft: null,
    pastLatest: Boolean(state.latest_end) && projected > ms(state.latest_end),
  };
  if (current && state.status !== "ended") {
    result.elapsed = floorMinutes(elapsedSince(current.actual_start, now));
    result.itemOver = Math.max(0, result.elapsed - current.planned_minutes);
    if (current.kind === "qa" && state.latest_end) {
      const after = remaining.reduce((sum, i) => sum + i.planned_minutes, 0);
      result.qaLeft = Math.max(0, floorMinutes(ms(state.latest_end) - after * MINUTE - now));
    }
  }
  return result;
}
