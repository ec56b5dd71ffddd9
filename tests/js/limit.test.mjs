// node --test tests/js : when a text box's length is worth announcing (static/js/live/limit.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { limitLevel } from "../../static/js/live/limit.js";

test("far from the limit nothing is worth saying", () => {
  assert.equal(limitLevel(500, 500), "ok");
  assert.equal(limitLevel(457, 500), "ok");
  assert.equal(limitLevel(51, 500), "ok");
});

test("the last tenth is near, past the limit is over", () => {
  assert.equal(limitLevel(50, 500), "near");
  assert.equal(limitLevel(0, 500), "near");
  assert.equal(limitLevel(-1, 500), "over");
});
