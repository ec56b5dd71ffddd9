// node --test tests/js : tab list keys (static/js/live/tabs.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { tabKeyTarget } from "../../static/js/live/tabs.js";

test("the arrows move one tab and wrap around the ends", () => {
  assert.equal(tabKeyTarget("ArrowRight", 0, 5), 1);
  assert.equal(tabKeyTarget("ArrowRight", 4, 5), 0);
  assert.equal(tabKeyTarget("ArrowLeft", 0, 5), 4);
  assert.equal(tabKeyTarget("ArrowLeft", 3, 5), 2);
});

test("Home and End go to the first and the last tab", () => {
  assert.equal(tabKeyTarget("Home", 3, 5), 0);
  assert.equal(tabKeyTarget("End", 1, 5), 4);
  assert.equal(tabKeyTarget("End", 0, 2), 1);
});

test("other keys, and an empty list, leave the tabs alone", () => {
  for (const key of ["ArrowDown", "ArrowUp", "Enter", " ", "a"]) {
    assert.equal(tabKeyTarget(key, 1, 5), null);
  }
  assert.equal(tabKeyTarget("Home", 0, 0), null);
});
