// node --test tests/js : the "up next" order the console edits and the presenter follows
// (static/js/qa/common.js), and the timer of the highlighted question (live/clock-rules.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { elapsedSince, minutesSeconds, serverOffset } from "../../static/js/live/clock-rules.js";
import { moveUpNext, moveUpNextTo, toggleUpNext, upNextFirst } from "../../static/js/qa/common.js";

const q = (id, votes) => ({ id, votes });

test("up next comes first in its own order, then the rest by votes", () => {
  const questions = [q(1, 9), q(2, 0), q(3, 4), q(4, 4), q(5, 1)];
  assert.deepEqual(upNextFirst(questions, [5, 2]).map((x) => x.id), [5, 2, 1, 3, 4]);
  assert.deepEqual(upNextFirst(questions).map((x) => x.id), [1, 3, 4, 5, 2]);
  assert.deepEqual(upNextFirst(questions, [7, 2]).map((x) => x.id), [2, 1, 3, 4, 5]);
});

test("a key adds a question at the end or takes it out", () => {
  assert.deepEqual(toggleUpNext([1, 2], 3), [1, 2, 3]);
  assert.deepEqual(toggleUpNext([1, 2, 3], 2), [1, 3]);
});

test("moving stays within the list; a drop puts it at the place", () => {
  assert.deepEqual(moveUpNext([1, 2, 3], 3, -1), [1, 3, 2]);
  assert.deepEqual(moveUpNext([1, 2, 3], 1, -1), [1, 2, 3]);
  assert.deepEqual(moveUpNext([1, 2, 3], 1, 1), [2, 1, 3]);
  assert.deepEqual(moveUpNext([1, 2, 3], 3, 1), [1, 2, 3]);
  assert.deepEqual(moveUpNext([1, 2], 9, 1), [1, 2]);
  assert.deepEqual(moveUpNextTo([1, 2, 3], 3, 0), [3, 1, 2]);
  assert.deepEqual(moveUpNextTo([1, 2, 3], 1, 5), [2, 3, 1]);
});

test("the timer counts from the server's time with the page's clock offset", () => {
  const offset = serverOffset("2026-05-04T10:00:00Z", Date.parse("2026-05-04T09:59:50Z"));
  assert.equal(offset, 10000);
  const now = Date.parse("2026-05-04T09:59:50Z") + offset + 75000;
  assert.equal(minutesSeconds(elapsedSince("2026-05-04T10:00:00Z", now)), "1:15");
  assert.equal(minutesSeconds(elapsedSince("2026-05-04T10:00:00Z", now - 80000)), "0:00");
  assert.equal(minutesSeconds(61 * 60000 + 5000), "61:05");
  assert.equal(elapsedSince(null, now), null);
});
