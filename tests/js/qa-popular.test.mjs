// node --test tests/js : the popular order (static/js/qa/common.js), on the vectors the server
// also runs (tests/data/popular_vectors.json, tests/qa/test_popular_order.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { byPopularity, orderChanged } from "../../static/js/qa/common.js";

const VECTORS = JSON.parse(readFileSync(new URL("../data/popular_vectors.json", import.meta.url), "utf8"));

for (const vector of VECTORS) {
  test(`popular order: ${vector.name}`, () => {
    assert.deepEqual([...vector.questions].sort(byPopularity).map((q) => q.id), vector.expected);
  });
}

test("a question without a count sorts as having no votes", () => {
  assert.deepEqual([{ id: 2 }, { id: 1, votes: 1 }, { id: 3, votes: 0 }].sort(byPopularity)
    .map((q) => q.id), [1, 2, 3]);
});

test("the order changes when a vote lifts a question above another", () => {
  const questions = [{ id: 1, votes: 2 }, { id: 2, votes: 1 }, { id: 3, votes: 0 }];
  assert.equal(orderChanged(["1", "2", "3"], questions), false);
  questions[2].votes = 3;
  assert.equal(orderChanged(["1", "2", "3"], questions), true);
  assert.equal(orderChanged([3, 1, 2], questions), false);
});

test("a vote that keeps every place does not change the order", () => {
  const questions = [{ id: 1, votes: 5 }, { id: 2, votes: 2 }];
  questions[1].votes = 4;
  assert.equal(orderChanged(["1", "2"], questions), false);
  questions[1].votes = 5;   // equal: the older one still leads
  assert.equal(orderChanged(["1", "2"], questions), false);
});

test("another comparison can be checked the same way", () => {
  const newestFirst = (a, b) => b.id - a.id;
  assert.equal(orderChanged([2, 1], [{ id: 1 }, { id: 2 }], newestFirst), false);
  assert.equal(orderChanged([1, 2], [{ id: 1 }, { id: 2 }], newestFirst), true);
});

test("a list of another length is a changed order", () => {
  assert.equal(orderChanged([1], [{ id: 1, votes: 0 }, { id: 2, votes: 0 }]), true);
});
