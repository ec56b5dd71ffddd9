// A burst of like events (six questions approved at once, a flurry of board posts) is announced
// once, with its count, and at most once per ANNOUNCE_EVERY_MS: a polite live region rewritten
// for every event is noise a screen reader user cannot stop.

export const ANNOUNCE_EVERY_MS = 10000;
// How long the first event of a burst waits for the rest (one socket burst arrives well within).
export const GATHER_MS = 1000;

/**
 * `add(n)` counts events; `say(message(count))` runs once for each burst: GATHER_MS after its
 * first event, and never sooner than ANNOUNCE_EVERY_MS after the previous announcement (what
 * comes in meanwhile is counted into the next one). Clock and timer are for tests.
 */
export function burstAnnouncer(message, say, { every = ANNOUNCE_EVERY_MS, gather = GATHER_MS,
  now = () => Date.now(), later = (fn, ms) => globalThis.setTimeout(fn, ms) } = {}) {
  let pending = 0;
  let last = -Infinity;
  let waiting = false;
  function flush() {
    waiting = false;
    if (!pending) return;
    const count = pending;
    pending = 0;
    last = now();
    say(message(count));
  }
  return {
    add(count = 1) {
      pending += count;
      if (waiting || pending <= 0) return;
      waiting = true;
      later(flush, Math.max(gather, last + every - now()));
    },
  };
}
