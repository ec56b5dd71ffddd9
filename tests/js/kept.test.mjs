// node --test tests/js : values kept across a reload, per meeting (static/js/live/kept.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { keptSetting, keptValue } from "../../static/js/live/kept.js";

function memoryStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => { items.set(key, String(value)); },
    removeItem: (key) => { items.delete(key); },
  };
}

test("a kept value comes back as it was saved, under a key of its kind and meeting", () => {
  const storage = memoryStorage();
  const draft = keptValue("board-draft", 7, storage);
  assert.equal(draft.read(), null);
  draft.save({ text: "¡Hola! 你好 <b>", client_id: "c1" });
  assert.deepEqual([...storage.items.keys()], ["puente:board-draft:7"]);
  assert.deepEqual(keptValue("board-draft", 7, storage).read(), { text: "¡Hola! 你好 <b>", client_id: "c1" });
  assert.equal(keptValue("board-draft", 8, storage).read(), null);
  assert.equal(keptValue("qa-view", 7, storage).read(), null);
});

test("clearing or saving nothing forgets the value", () => {
  const storage = memoryStorage();
  const view = keptValue("qa-view", 3, storage);
  view.save({ view: "mine" });
  view.clear();
  assert.equal(storage.items.size, 0);
  view.save("x");
  view.save(undefined);
  assert.equal(storage.items.size, 0);
});

test("malformed or unreachable storage only means nothing is kept", () => {
  const storage = memoryStorage();
  storage.items.set("puente:qa-draft:1", "{not json");
  assert.equal(keptValue("qa-draft", 1, storage).read(), null);
  const broken = {
    getItem() { throw new Error("SecurityError"); },
    setItem() { throw new Error("QuotaExceededError"); },
    removeItem() { throw new Error("SecurityError"); },
  };
  const kept = keptValue("qa-draft", 1, broken);
  assert.equal(kept.read(), null);
  assert.doesNotThrow(() => kept.save({ text: "a" }));
  assert.doesNotThrow(() => kept.clear());
});

test("a setting reads its default until the browser keeps a choice, for every meeting", () => {
  const storage = memoryStorage();
  const shortcuts = keptSetting("console-shortcuts", true, storage);
  assert.equal(shortcuts.key, "puente:setting:console-shortcuts");
  assert.equal(shortcuts.read(), true);
  shortcuts.save(false);
  assert.equal(keptSetting("console-shortcuts", true, storage).read(), false);
  shortcuts.save(true);
  assert.equal(shortcuts.read(), true);
});

test("a setting without usable storage keeps its default and never throws", () => {
  const broken = {
    getItem() { throw new Error("SecurityError"); },
    setItem() { throw new Error("SecurityError"); },
    removeItem() { throw new Error("SecurityError"); },
  };
  const setting = keptSetting("console-shortcuts", true, broken);
  assert.doesNotThrow(() => setting.save(false));
  assert.equal(setting.read(), true);
});
