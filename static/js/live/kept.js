// What a reader was in the middle of (a draft, the view they chose) kept across a reload of
// the tab: one JSON value per meeting in sessionStorage, so it stays with this tab and this
// meeting and goes when the tab closes. Storage that is full or switched off only means the
// value is not kept; nothing fails.
import { parseJSON } from "./data.js";

/**
 * The value kept under `puente:<kind>:<meetingId>`: `read()` (null when none), `save(value)`
 * (null or undefined forgets it) and `clear()`. `storage` is for tests; the page's
 * sessionStorage by default.
 */
export function keptValue(kind, meetingId, storage = null) {
  const key = `puente:${kind}:${meetingId}`;
  const store = () => storage || globalThis.sessionStorage;
  return {
    key,
    read() {
      try {
        return parseJSON(store().getItem(key), null);
      } catch {
        return null;
      }
    },
    save(value) {
      try {
        if (value === null || value === undefined) store().removeItem(key);
        else store().setItem(key, JSON.stringify(value));
      } catch { /* storage full or disabled: the value is simply not kept */ }
    },
    clear() {
      this.save(null);
    },
  };
}
