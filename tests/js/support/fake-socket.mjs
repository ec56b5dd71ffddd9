// A Socket.IO client stand-in for the tests of static/js/live/connection.js: it records what
// the page sends and lets a test open, drop and answer the connection frame by frame.

/** Let pending promise callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

export class FakeSocket {
  constructor(options) {
    this.options = options;
    this.connected = false;
    this.listeners = new Map();
    this.anyListeners = [];
    this.sent = [];       // [command, payload, resolve, reject]
    this.connects = 0;
  }

  on(event, listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(listener);
  }

  onAny(listener) {
    this.anyListeners.push(listener);
  }

  connect() {
    this.connects += 1;
  }

  /** The page closes the connection itself (Socket.IO then reports `io client disconnect`). */
  disconnect() {
    this.disconnects = (this.disconnects || 0) + 1;
    this.close("io client disconnect");
  }

  timeout(ms) {
    this.lastTimeout = ms;
    return this;
  }

  emitWithAck(command, payload) {
    return new Promise((resolve, reject) => this.sent.push([command, payload, resolve, reject]));
  }

  // --- driven by the test --------------------------------------------------------------------

  fire(event, ...args) {
    for (const listener of this.listeners.get(event) || []) listener(...args);
  }

  /** The server opened the connection: the client sends `join`. */
  open() {
    this.connected = true;
    this.fire("connect");
  }

  /** A frame from the server (any event name, including `batch`). */
  deliver(type, data) {
    for (const listener of this.anyListeners) listener(type, data);
  }

  /** Answer the oldest unanswered command; returns what it was. */
  async ack(reply) {
    const [command, payload, resolve] = this.sent.shift();
    resolve(reply);
    await settle();
    return [command, payload];
  }

  close(reason) {
    this.connected = false;
    this.fire("disconnect", reason);
  }

  /** The connection drops: Socket.IO rejects every ack still awaited. */
  async drop() {
    this.close("transport close");
    for (const [, , , reject] of this.sent.splice(0)) reject(new Error("socket has been disconnected"));
    await settle();
  }

  /** What was sent and not yet answered, without the promise handles. */
  commands() {
    return this.sent.map(([command, payload]) => [command, payload]);
  }
}
