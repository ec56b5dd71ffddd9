// node --test tests/js : a stopping server's `server_draining {reconnect_within_ms}` makes the
// page reconnect at a random moment within the window (static/js/live/connection.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  drainDelay, LiveConnection, MAX_DRAIN_WINDOW_MS, RECONNECTION,
} from "../../static/js/live/connection.js";
import { FakeSocket } from "./support/fake-socket.mjs";

/** A controllable clock: timers run only when the test says so. */
function timers() {
  const pending = new Map();
  let next = 1;
  return {
    pending,
    set: (callback, ms) => { pending.set(next, { callback, ms }); return next++; },
    clear: (id) => pending.delete(id),
    runAll() {
      const due = [...pending.values()];
      pending.clear();
      for (const { callback } of due) callback();
    },
  };
}

function live(random = () => 0.5) {
  let socket = null;
  const clock = timers();
  const connection = new LiveConnection({
    io: (options) => { socket = new FakeSocket(options); return socket; },
    meetingId: 7, csrfToken: "tok", random, setTimer: clock.set, clearTimer: clock.clear,
  });
  const statuses = [];
  connection.onStatus((status) => statuses.push(status));
  connection.start();
  return { connection, socket, clock, statuses };
}

test("the delay is uniform within the window: from 0 to just under it", () => {
  assert.equal(drainDelay(8000, () => 0), 0);
  assert.equal(drainDelay(8000, () => 0.5), 4000);
  assert.equal(drainDelay(8000, () => 0.999999), 7999);
  assert.equal(drainDelay(8000, () => 1), 7999);
});

test("a missing, odd or huge window never makes a negative or endless wait", () => {
  for (const within of [undefined, null, "8000", -5, 0, Number.NaN, Infinity]) {
    assert.equal(drainDelay(within, () => 0.7), 0, String(within));
  }
  assert.equal(drainDelay(10 * MAX_DRAIN_WINDOW_MS, () => 0.5), MAX_DRAIN_WINDOW_MS / 2);
  assert.equal(drainDelay(8000, () => Number.NaN), 0);
  assert.equal(drainDelay(8000, () => -1), 0);
});

test("different draws spread clients over the window", () => {
  const draws = [0.05, 0.35, 0.65, 0.95];
  const delays = draws.map((draw) => drainDelay(10000, () => draw));
  assert.deepEqual(delays, [500, 3500, 6500, 9500]);
});

test("the back-off after a dropped connection is set on purpose, with jitter", () => {
  const { socket } = live();
  for (const [name, value] of Object.entries(RECONNECTION)) {
    assert.equal(socket.options[name], value, name);
  }
  assert.ok(RECONNECTION.randomizationFactor > 0);
  assert.ok(RECONNECTION.reconnectionDelayMax > RECONNECTION.reconnectionDelay);
});

test("server_draining: stay until the drawn moment, then reconnect and rejoin with last_seq",
  async () => {
    const { connection, socket, clock, statuses } = live(() => 0.25);
    socket.open();
    await socket.ack({ ok: true, seq: 9, snapshot: { seq: 9 } });
    const seen = [];
    connection.on("server_draining", (data) => seen.push(data));
    socket.deliver("server_draining", { reconnect_within_ms: 8000 });
    assert.deepEqual(seen, []);  // handled by the connection, not handed to the page
    assert.deepEqual([...clock.pending.values()].map((timer) => timer.ms), [2000]);
    assert.equal(socket.disconnects, undefined);  // still live meanwhile
    socket.deliver("server_draining", { reconnect_within_ms: 8000 });  // told twice: one move
    assert.equal(clock.pending.size, 1);

    clock.runAll();
    assert.equal(socket.disconnects, 1);
    assert.equal(socket.connects, 2);
    socket.open();
    assert.deepEqual(socket.commands(), [["join", { last_seq: 9 }]]);
    assert.deepEqual(statuses.slice(-3), ["online", "offline", "syncing"]);
  });

test("a connection that dropped before its moment does not move again", async () => {
  const { socket, clock } = live();
  socket.open();
  await socket.ack({ ok: true, seq: 1, snapshot: { seq: 1 } });
  socket.deliver("server_draining", { reconnect_within_ms: 8000 });
  await socket.drop();
  assert.equal(clock.pending.size, 0);
  clock.runAll();
  assert.equal(socket.disconnects, undefined);
});
