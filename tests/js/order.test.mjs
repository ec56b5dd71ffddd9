// node --test tests/js : the client ordering rule in static/js/live/order.js.
import assert from "node:assert/strict";
import { test } from "node:test";

import { EventOrder, Revisions, mergeVotes, newestCounts } from "../../static/js/live/order.js";

function recorder() {
  const applied = [];
  const snapshots = [];
  const order = new EventOrder({
    apply: (type, data) => applied.push([type, data.seq ?? null]),
    reset: (snapshot) => snapshots.push(snapshot.seq),
  });
  return { order, applied, snapshots };
}

test("events that arrive while joining wait for the snapshot, then only newer ones apply", () => {
  const { order, applied, snapshots } = recorder();
  order.receive("question_published", { seq: 4 });
  order.receive("vote_tally_changed", { tallies: { 1: 3 } });
  order.receive("question_updated", { seq: 6 });
  assert.deepEqual(applied, []);
  order.joinAck({ ok: true, seq: 5, snapshot: { seq: 5 } });
  assert.deepEqual(snapshots, [5]);
  assert.deepEqual(applied, [["vote_tally_changed", null], ["question_updated", 6]]);
});

test("a replay applies the missed events once, and live duplicates are dropped", () => {
  const { order, applied } = recorder();
  order.joinAck({ seq: 3, snapshot: { seq: 3 } });
  order.leave();
  order.receive("question_updated", { seq: 5 });  // live, during the rejoin
  order.joinAck({ seq: 5, events: [{ type: "question_published", data: { seq: 4 } },
                                    { type: "question_updated", data: { seq: 5 } }] });
  order.receive("question_updated", { seq: 5 });  // late duplicate
  order.receive("question_removed", { seq: 7 });
  assert.deepEqual(applied, [["question_published", 4], ["question_updated", 5],
                             ["question_removed", 7]]);
  assert.equal(order.lastSeq, 7);
});

test("a replay that ends above its events moves the position to the ack's seq", () => {
  const { order, applied } = recorder();
  order.joinAck({ seq: 2, snapshot: { seq: 2 } });
  order.leave();
  order.joinAck({ seq: 9, events: [{ type: "post_published", data: { seq: 4 } }] });
  order.receive("post_hidden", { seq: 8 });  // at or below the replay's end: already applied
  assert.deepEqual(applied, [["post_published", 4]]);
  assert.equal(order.lastSeq, 9);
});

test("counts keep the highest revision whichever process's broadcast arrives last", () => {
  const revisions = new Revisions();
  assert.deepEqual(newestCounts(revisions, "votes", { 1: 10 }, { 1: 10 }), [["1", 10]]);
  assert.deepEqual(newestCounts(revisions, "votes", { 1: 9 }, { 1: 9 }), []);
  assert.deepEqual(newestCounts(revisions, "votes", { 1: 10, 2: 1 }, { 1: 10, 2: 1 }),
                   [["1", 10], ["2", 1]]);
  assert.deepEqual(newestCounts(revisions, "votes", { 3: 4 }), [["3", 4]]);  // no revision
});

test("a question event with an older tally keeps the newer vote count shown", () => {
  const revisions = new Revisions();
  const shown = mergeVotes(revisions, null, { id: 1, votes: 7, votes_rev: 7, text: "a" });
  const later = mergeVotes(revisions, shown, { id: 1, votes: 5, votes_rev: 5, text: "b" });
  assert.deepEqual(later, { id: 1, votes: 7, votes_rev: 7, text: "b" });
  const newer = mergeVotes(revisions, later, { id: 1, votes: 8, votes_rev: 8, text: "c" });
  assert.equal(newer.votes, 8);
});
