// node --test tests/js : static/js/live/connection.js over a stand-in Socket.IO client that the
// test drives frame by frame (what the server would send, what the acks would say).
import assert from "node:assert/strict";
import { test } from "node:test";

import { LiveConnection, joinRetryDelay } from "../../static/js/live/connection.js";
import { FakeSocket } from "./support/fake-socket.mjs";

/** A started connection with every event, snapshot and status recorded. */
function live(extra = {}) {
  let socket = null;
  const io = (options) => {
    socket = new FakeSocket(options);
    return socket;
  };
  const connection = new LiveConnection({ io, meetingId: 7, csrfToken: "tok", ...extra });
  const seen = [];
  const snapshots = [];
  const statuses = [];
  for (const type of ["question_published", "question_updated", "vote_tally_changed",
    "post_published"]) {
    connection.on(type, (data) => seen.push([type, data.seq ?? null]));
  }
  connection.onSnapshot((snapshot) => snapshots.push(snapshot.seq));
  connection.onStatus((status, message) => statuses.push(message ? `${status}:${message}` : status));
  connection.start();
  return { connection, socket, seen, snapshots, statuses };
}

/** `live`, with the back-off's draws fixed at the middle and its timers held for the test to fire. */
function liveWithTimers() {
  const timers = [];
  const started = live({
    random: () => 0.5,
    setTimer: (callback, delay) => { timers.push({ callback, delay }); return timers.length; },
    clearTimer: () => {},
  });
  return { ...started, timers };
}

test("the handshake carries the CSRF token, the meeting and any extra credentials", () => {
  const { socket } = live({ extraAuth: { presenter_token: "p" }, transports: ["websocket"] });
  assert.equal(socket.connects, 1);
  assert.equal(socket.options.autoConnect, false);
  assert.deepEqual(socket.options.transports, ["websocket"]);
  let auth = null;
  socket.options.auth((value) => { auth = value; });
  assert.deepEqual(auth, { presenter_token: "p", csrf_token: "tok", meeting: 7 });
});

test("joining: events that arrive before the join ack wait for it, then apply by seq", async () => {
  const { socket, seen, snapshots, statuses } = live();
  socket.open();
  assert.deepEqual(socket.sent[0].slice(0, 2), ["join", { last_seq: null }]);
  socket.deliver("question_published", { seq: 4 });      // already in the snapshot
  socket.deliver("vote_tally_changed", { tallies: {} });  // no seq: applies as it comes
  socket.deliver("question_updated", { seq: 6 });        // newer than the snapshot
  assert.deepEqual(seen, []);
  await socket.ack({ ok: true, seq: 5, snapshot: { seq: 5 } });
  assert.deepEqual(snapshots, [5]);
  assert.deepEqual(seen, [["vote_tally_changed", null], ["question_updated", 6]]);
  assert.deepEqual(statuses, ["connecting", "syncing", "online"]);
});

test("a batch frame is unpacked in order and each event passes the seq rule", async () => {
  const { connection, socket, seen } = live();
  const batches = [];
  connection.on("batch", (data) => batches.push(data));
  socket.open();
  await socket.ack({ ok: true, seq: 10, snapshot: { seq: 10 } });
  socket.deliver("batch", [
    ["question_published", { seq: 11 }],
    ["question_updated", { seq: 10 }],      // already applied
    ["vote_tally_changed", { tallies: { 1: 2 } }],
    ["post_published", { seq: 12 }],
  ]);
  assert.deepEqual(seen, [["question_published", 11], ["vote_tally_changed", null],
    ["post_published", 12]]);
  assert.deepEqual(batches, []);
  assert.equal(connection.lastSeq, 12);
});

test("a batch that arrives while catching up is buffered like single events", async () => {
  const { socket, seen } = live();
  socket.open();
  socket.deliver("batch", [["question_published", { seq: 3 }], ["question_updated", { seq: 4 }]]);
  assert.deepEqual(seen, []);
  await socket.ack({ ok: true, seq: 3, snapshot: { seq: 3 } });
  assert.deepEqual(seen, [["question_updated", 4]]);
});

test("after a drop the rejoin asks from the last seq; the replay and live copies apply once",
  async () => {
    const { connection, socket, seen, snapshots, statuses } = live();
    socket.open();
    await socket.ack({ ok: true, seq: 2, snapshot: { seq: 2 } });
    socket.deliver("question_published", { seq: 3 });
    socket.close("transport close");
    assert.equal(connection.joined, false);
    socket.open();
    assert.deepEqual(socket.sent[0].slice(0, 2), ["join", { last_seq: 3 }]);
    socket.deliver("question_updated", { seq: 5 });     // live, during the catch-up
    await socket.ack({ ok: true, seq: 5, events: [
      { type: "question_published", data: { seq: 3 } },  // seen before the drop
      { type: "question_updated", data: { seq: 4 } },
      { type: "question_updated", data: { seq: 5 } },
    ] });
    socket.deliver("question_updated", { seq: 5 });     // a late duplicate
    socket.deliver("question_updated", { seq: 6 });
    assert.deepEqual(snapshots, [2]);
    assert.deepEqual(seen, [["question_published", 3], ["question_updated", 4],
      ["question_updated", 5], ["question_updated", 6]]);
    assert.deepEqual(statuses, ["connecting", "syncing", "online", "offline", "syncing", "online"]);
  });

test("a rejoin's figures reach their handlers after the replay, before the buffered events",
  async () => {
    const { connection, socket, seen } = live();
    const figures = [];
    connection.onFigures((data) => { figures.push(data); seen.push(["figures", null]); });
    socket.open();
    await socket.ack({ ok: true, seq: 2, snapshot: { seq: 2 } });
    assert.deepEqual(figures, []);  // a snapshot has every figure already
    socket.close("transport close");
    socket.open();
    socket.deliver("vote_tally_changed", { tallies: { 1: 22 }, revs: { 1: 23 } });
    const current = { qa: { tallies: { 1: 21 }, revs: { 1: 22 }, my_votes: [1] } };
    await socket.ack({ ok: true, seq: 4, events: [
      { type: "question_updated", data: { seq: 3 } }], figures: current });
    assert.deepEqual(figures, [current]);
    assert.deepEqual(seen, [["question_updated", 3], ["figures", null],
      ["vote_tally_changed", null]]);
  });

test("a snapshot clears the remembered count revisions", async () => {
  const { connection, socket } = live();
  socket.open();
  await socket.ack({ ok: true, seq: 1, snapshot: { seq: 1 } });
  assert.equal(connection.revisions.newer("votes", 1, 9), true);
  assert.equal(connection.revisions.newer("votes", 1, 3), false);
  socket.close("transport close");
  socket.open();
  await socket.ack({ ok: true, seq: 1, snapshot: { seq: 1 } });
  assert.equal(connection.revisions.newer("votes", 1, 3), true);
});

test("a refused join, a refused handshake and a server-side close each say so", async () => {
  const { socket, statuses } = live();
  socket.open();
  await socket.ack({ ok: false, error: { code: "forbidden", message: "Banned" } });
  socket.fire("connect_error", { data: { code: "unauthorised", message: "Log in" } });
  socket.fire("connect_error", new Error("xhr poll error"));
  socket.close("io server disconnect");
  assert.deepEqual(statuses, ["connecting", "syncing", "refused:Banned", "refused:Log in",
    "offline", "closed"]);
});

test("commands: an ack resolves, no connection or no answer becomes an error ack", async () => {
  const { connection, socket } = live();
  assert.deepEqual(await connection.send("vote", { question_id: 1 }),
    { ok: false, error: { code: "offline", message: "" } });
  socket.open();
  await socket.ack({ ok: true, seq: 0, snapshot: { seq: 0 } });
  const pending = connection.send("vote", { question_id: 1, on: true });
  assert.equal(socket.lastTimeout, 10000);
  assert.deepEqual(await socket.ack({ ok: true, votes: 3 }), ["vote", { question_id: 1, on: true }]);
  assert.deepEqual(await pending, { ok: true, votes: 3 });
  const lost = connection.send("vote", { question_id: 2 });
  socket.sent.shift()[3](new Error("operation has timed out"));
  assert.deepEqual(await lost, { ok: false, error: { code: "timeout", message: "" } });
});

test("unsubscribing stops one handler and keeps the others", async () => {
  const { connection, socket, seen } = live();
  const other = [];
  const stop = connection.on("question_published", (data) => other.push(data.seq));
  socket.open();
  await socket.ack({ ok: true, seq: 0, snapshot: { seq: 0 } });
  socket.deliver("question_published", { seq: 1 });
  stop();
  socket.deliver("question_published", { seq: 2 });
  assert.deepEqual(other, [1]);
  assert.deepEqual(seen, [["question_published", 1], ["question_published", 2]]);
});

test("a join the server could not answer now is asked again after a back-off; a refusal is final", async () => {
  const { socket, snapshots, statuses, timers } = liveWithTimers();
  socket.open();
  await socket.ack({ ok: false, error: { code: "busy", message: "El servidor está ocupado." } });
  assert.deepEqual(timers.map((timer) => timer.delay), [1000]);
  assert.deepEqual(socket.commands(), []);  // nothing asked until the timer fires
  timers[0].callback();
  assert.deepEqual(socket.commands(), [["join", { last_seq: null }]]);
  await socket.ack({ ok: false, error: { code: "server_error", message: "" } });
  assert.equal(timers[1].delay, 2000);  // doubling
  timers[1].callback();
  await socket.ack({ ok: true, seq: 3, snapshot: { seq: 3 } });
  assert.deepEqual(snapshots, [3]);
  assert.equal(statuses.at(-1), "online");

  await socket.drop();
  socket.open();
  await socket.ack({ ok: false, error: { code: "forbidden", message: "Ya no tiene acceso." } });
  assert.equal(timers.length, 2);  // no retry of a refusal
  assert.equal(statuses.at(-1), "refused:Ya no tiene acceso.");
});

test("a retry scheduled before a reconnect does not join a second time", async () => {
  const { socket, timers } = liveWithTimers();
  socket.open();
  await socket.ack({ ok: false, error: { code: "busy", message: "" } });
  await socket.drop();
  socket.open();  // the reconnect joins by itself
  assert.deepEqual(socket.commands(), [["join", { last_seq: null }]]);
  timers[0].callback();  // the old retry finds a newer join
  assert.deepEqual(socket.commands(), [["join", { last_seq: null }]]);
});

test("a connection refused as busy is asked again on the back-off; other refusals are final", async () => {
  const { socket, statuses, timers } = liveWithTimers();
  const busy = { data: { code: "busy", message: "El servidor está ocupado." } };
  const connects = socket.connects;
  socket.fire("connect_error", busy);
  assert.deepEqual(timers.map((timer) => timer.delay), [1000]);
  assert.equal(socket.connects, connects);  // nothing asked until the timer fires
  timers[0].callback();
  assert.equal(socket.connects, connects + 1);
  socket.fire("connect_error", busy);
  assert.equal(timers[1].delay, 2000);  // doubling
  timers[1].callback();
  socket.open();
  assert.deepEqual(socket.commands(), [["join", { last_seq: null }]]);
  await socket.drop();
  socket.fire("connect_error", busy);
  assert.equal(timers[2].delay, 1000);  // a connection that went through starts the count again
  socket.fire("connect_error", { data: { code: "forbidden", message: "No." } });
  assert.equal(timers.length, 3);
  assert.equal(statuses.at(-1), "refused:No.");
  const before = socket.connects;
  timers[2].callback();  // the retry asked before the refusal stays cancelled
  assert.equal(socket.connects, before);
});

test("join retry delays follow the reconnection back-off, randomised and capped", () => {
  assert.equal(joinRetryDelay(0, () => 0.5), 1000);
  assert.equal(joinRetryDelay(0, () => 0), 500);
  assert.equal(joinRetryDelay(0, () => 1), 1500);
  assert.equal(joinRetryDelay(3, () => 0.5), 8000);
  assert.equal(joinRetryDelay(10, () => 0.5), 10000);
  assert.equal(joinRetryDelay(10, () => 1), 15000);
});

test("the network coming back retries at once, unless the server closed or refused us", async () => {
  const { connection, socket, statuses, timers } = liveWithTimers();
  socket.open();
  await socket.ack({ ok: true, seq: 0, snapshot: { seq: 0 } });
  const connects = socket.connects;
  connection.retryNow();  // online already: nothing to do
  assert.equal(socket.connects, connects);
  await socket.drop();
  connection.retryNow();
  assert.equal(socket.connects, connects + 1);
  assert.equal(socket.disconnects, 1);  // the back-off's pending attempt is dropped first
  socket.fire("connect_error", { data: { code: "busy", message: "" } });
  connection.retryNow();  // the busy retry's timer gives way to the attempt made now
  assert.equal(socket.connects, connects + 2);
  timers.at(-1).callback();
  assert.equal(socket.connects, connects + 2);
  socket.fire("connect_error", { data: { code: "forbidden", message: "No." } });
  connection.retryNow();
  assert.equal(socket.connects, connects + 2);
  assert.equal(statuses.at(-1), "refused:No.");
});
