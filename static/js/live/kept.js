// What a reader was in the middle of (a draft, the view they chose) kept across a reload of
// the tab: one JSON value per meeting in sessionStorage, so it stays with this tab and this
// meeting and goes when the tab closes. Storage that is full or switched off only means the
// value is not kept; nothing fails. Preferences that outlive the tab (`keptSetting`) use
// localStorage the same way.
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

// Where nothing can be kept (storage switched off): reads find nothing, writes are dropped.
const NOWHERE = { getItem: () => null, setItem() {}, removeItem() {} };

/**
 * A preference this browser keeps for every meeting and after the tab closes (a console
 * setting): `puente:setting:<name>` in localStorage. `read()` gives `fallback` when nothing
 * was kept; `save(value)` keeps it. `storage` is for tests.
 */
export function keptSetting(name, fallback, storage = null) {
  let store = storage;
  if (!store) {
    try {
      store = globalThis.localStorage || NOWHERE;
    } catch {
      store = NOWHERE;  // a browser that forbids storage throws on the mere access
    }
  }
  const kept = keptValue("setting", name, store);
  return {
    key: kept.key,
    read: () => kept.read() ?? fallback,
    save: (value) => kept.save(value),
  };
}
