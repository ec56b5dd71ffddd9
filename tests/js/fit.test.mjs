// node --test tests/js : the presenter's type fitting (static/js/live/fit.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { largestFitting } from "../../static/js/live/fit.js";

test("the largest size that fits is found between the floor and the stylesheet's size", () => {
  for (const limit of [14, 15, 31, 47, 48]) {
    assert.equal(largestFitting(14, 48, (size) => size <= limit), limit);
  }
});

test("nothing fits: the floor; everything fits: the largest; sizes are whole", () => {
  assert.equal(largestFitting(14, 48, () => false), 14);
  assert.equal(largestFitting(14, 48.6, () => true), 48);
  assert.equal(largestFitting(20, 12, () => true), 20);
});

test("few probes: halving, not counting down one by one", () => {
  let probes = 0;
  largestFitting(12, 200, (size) => { probes += 1; return size <= 100; });
  assert.ok(probes <= 9, probes);
});
