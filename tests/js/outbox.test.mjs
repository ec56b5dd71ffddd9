// node --test tests/js : the outbox of static/js/live/connection.js. Commands the server
// stores once wait while offline and go out after the rejoin; the rest fail at once.
import assert from "node:assert/strict";
import { test } from "node:test";

import { LiveConnection } from "../../static/js/live/connection.js";
import { FakeSocket, settle } from "./support/fake-socket.mjs";

function live() {
  let socket = null;
  const io = () => {
    socket = new FakeSocket();
    return socket;
  };
  const connection = new LiveConnection({ io, meetingId: 7, csrfToken: "tok" }).start();
  return { connection, socket };
}

async function rejoin(socket) {
  socket.open();
  assert.equal(socket.sent[0][0], "join");
  await socket.ack({ ok: true, seq: 0, snapshot: { seq: 0 } });
}

/** Record when a promise settles, without awaiting it. */
function watch(promise) {
  const box = { ack: undefined };
  promise.then((ack) => { box.ack = ack; });
  return box;
}

test("offline, commands with a client id wait; after the rejoin they go out in order", async () => {
  const { connection, socket } = live();
  const ask = watch(connection.send("ask_question", { text: "Why?", client_id: "a" },
    { retry: true }));
  const post = watch(connection.send("post_message", { text: "Hi", client_id: "b" },
    { retry: true }));
  await settle();
  assert.deepEqual(socket.commands(), []);
  assert.equal(connection.unsent, 2);
  assert.equal(ask.ack, undefined);

  socket.open();
  assert.deepEqual(socket.commands(), [["join", { last_seq: null }]]);  // the join goes first
  await socket.ack({ ok: true, seq: 0, snapshot: { seq: 0 } });
  assert.deepEqual(socket.commands(), [["ask_question", { text: "Why?", client_id: "a" }]]);
  await socket.ack({ ok: true, question: { id: 1 } });
  assert.deepEqual(ask.ack, { ok: true, question: { id: 1 } });
  assert.deepEqual(socket.commands(), [["post_message", { text: "Hi", client_id: "b" }]]);
  await socket.ack({ ok: true, id: 9 });
  assert.deepEqual(post.ack, { ok: true, id: 9 });
  assert.equal(connection.unsent, 0);
});

test("online, a retried command is sent at once and resolves with its ack", async () => {
  const { connection, socket } = live();
  await rejoin(socket);
  const pending = connection.send("ask_question", { text: "Q", client_id: "c" }, { retry: true });
  await settle();
  assert.deepEqual(await socket.ack({ ok: false, error: { code: "closed", message: "Closed" } }),
    ["ask_question", { text: "Q", client_id: "c" }]);
  // A refusal is an answer, not a loss: it is not sent again.
  assert.deepEqual(await pending, { ok: false, error: { code: "closed", message: "Closed" } });
  assert.equal(connection.unsent, 0);
});

test("a command whose ack was lost with the connection is sent again after the rejoin",
  async () => {
    const { connection, socket } = live();
    await rejoin(socket);
    const ask = watch(connection.send("ask_question", { text: "Q", client_id: "d" },
      { retry: true }));
    await settle();
    assert.equal(socket.commands()[0][0], "ask_question");
    await socket.drop();
    assert.equal(ask.ack, undefined);
    assert.equal(connection.unsent, 1);
    await rejoin(socket);
    // The same client id again: the server stores it once and acks with the stored question.
    assert.deepEqual(socket.commands(), [["ask_question", { text: "Q", client_id: "d" }]]);
    await socket.ack({ ok: true, question: { id: 4 } });
    assert.deepEqual(ask.ack, { ok: true, question: { id: 4 } });
  });

test("one waiting entry per vote target: the latest choice replaces the earlier one",
  async () => {
    const { connection, socket } = live();
    const first = watch(connection.send("vote", { question_id: 1, voted: true },
      { retry: true, key: "vote:1" }));
    const other = watch(connection.send("vote", { question_id: 2, voted: true },
      { retry: true, key: "vote:2" }));
    const second = watch(connection.send("vote", { question_id: 1, voted: false },
      { retry: true, key: "vote:1" }));
    await settle();
    assert.deepEqual(first.ack, { ok: false, error: { code: "superseded", message: "" } });
    assert.equal(connection.unsent, 2);
    await rejoin(socket);
    assert.deepEqual(await socket.ack({ ok: true, voted: true }),
      ["vote", { question_id: 2, voted: true }]);
    assert.deepEqual(await socket.ack({ ok: true, voted: false }),
      ["vote", { question_id: 1, voted: false }]);
    assert.deepEqual(other.ack, { ok: true, voted: true });
    assert.deepEqual(second.ack, { ok: true, voted: false });
    assert.deepEqual(socket.commands(), []);
  });

test("a vote already on its way is not replaced: the later choice follows it", async () => {
  const { connection, socket } = live();
  await rejoin(socket);
  const first = watch(connection.send("vote", { question_id: 1, voted: true },
    { retry: true, key: "vote:1" }));
  const second = watch(connection.send("vote", { question_id: 1, voted: false },
    { retry: true, key: "vote:1" }));
  await settle();
  await socket.ack({ ok: true, voted: true });
  assert.deepEqual(first.ack, { ok: true, voted: true });
  assert.deepEqual(await socket.ack({ ok: true, voted: false }),
    ["vote", { question_id: 1, voted: false }]);
  assert.deepEqual(second.ack, { ok: true, voted: false });
});

test("without a client id or key there is no retry: offline fails at once", async () => {
  const { connection, socket } = live();
  const offline = { ok: false, error: { code: "offline", message: "" } };
  assert.deepEqual(await connection.send("find_similar", { text: "Q" }, { retry: true }), offline);
  assert.deepEqual(await connection.send("edit_my_question", { question_id: 1, text: "Q" }),
    offline);
  assert.deepEqual(await connection.send("ask_question", { text: "Q", client_id: "e" }), offline);
  assert.equal(connection.unsent, 0);
  await rejoin(socket);
  await settle();
  assert.deepEqual(socket.commands(), []);
});
