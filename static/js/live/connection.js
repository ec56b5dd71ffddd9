// One live connection per page: authenticates, joins with the last seq seen, replays missed
// events in order, and hands commands to the server with an ack promise. The server may send
// several events in one `batch` frame ([[type, data], ...], commit order); they are unpacked
// here, so subscribers never see a `batch`. Which events apply is decided by ./order.js (the
// documented client rule); `revisions` keeps the newest of each count for the pages.
// Commands sent with `{retry: true}` that the server stores once (a `client_id`, or a `key`
// for commands that set a value) wait in an outbox while offline and go out, in order, once
// the rejoin has caught up: nothing the person sent is lost to a dropped connection.
// The Socket.IO client (`io`) is handed in by ../live-page.js, so this module runs under
// `node --test` with a stand-in transport.
import { EventOrder, Revisions } from "./order.js";

const ACK_TIMEOUT_MS = 10000;
const LOST = new Set(["offline", "timeout"]);  // the command may not have reached the server

// Socket.IO's back-off after a dropped connection, set here rather than left to the library's
// defaults: the first retry after 0.5-1.5 s, then doubling up to 5-15 s, each delay
// randomised by +-50 %, so a crowd that lost a process does not come back in one instant.
export const RECONNECTION = Object.freeze({
  reconnection: true,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 10000,
  randomizationFactor: 0.5,
});
// A stopping server asks its clients to move within `reconnect_within_ms` (docs/protocol.md,
// "Restarts"); a window longer than this is not waited for.
export const MAX_DRAIN_WINDOW_MS = 60000;

const lost = (ack) => !ack.ok && LOST.has(ack.error && ack.error.code);
// A join the server could not answer now (overloaded, an unexpected failure, no answer in
// time) is asked again; any other refusal (forbidden, not_found) is final.
const JOIN_AGAIN = new Set(["busy", "server_error", "timeout"]);

/** Milliseconds before asking for the join again: the reconnection back-off's schedule. */
export function joinRetryDelay(attempt, random = Math.random) {
  const { reconnectionDelay: first, reconnectionDelayMax: cap, randomizationFactor } = RECONNECTION;
  const base = Math.min(first * 2 ** Math.max(attempt, 0), cap);
  const draw = random();
  const share = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0.5;
  return Math.round(base * (1 + randomizationFactor * (2 * share - 1)));
}

/** Milliseconds to stay before reconnecting elsewhere: uniform within the server's window. */
export function drainDelay(withinMs, random = Math.random) {
  const window = Number.isFinite(withinMs) && withinMs > 0
    ? Math.min(withinMs, MAX_DRAIN_WINDOW_MS) : 0;
  const draw = random();
  const share = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.min(Math.floor(share * window), Math.max(window - 1, 0));
}

export class LiveConnection {
  constructor({ io, meetingId, csrfToken, transports = ["websocket", "polling"], extraAuth = {},
    random = Math.random, setTimer = setTimeout, clearTimer = clearTimeout }) {
    this.meetingId = meetingId;
    this.csrfToken = csrfToken;
    this.handlers = new Map();
    this.snapshotHandlers = [];
    this.figuresHandlers = [];
    this.statusHandlers = [];
    this.revisions = new Revisions();
    this.order = new EventOrder({
      apply: (type, data) => {
        for (const handler of this.handlers.get(type) || []) handler(data);
      },
      reset: (snapshot) => {
        this.revisions.clear();
        for (const handler of this.snapshotHandlers) handler(snapshot);
      },
      refresh: (figures) => {
        for (const handler of this.figuresHandlers) handler(figures);
      },
    });
    this.status = "connecting";
    this.outbox = [];     // {key, command, payload, resolve, sending}: oldest first
    this.flushing = false;
    this.joins = 0;       // completed joins: tells a lost ack from before a rejoin
    this.joinAttempt = 0; // the join asked for since the last connect (a newer one wins)
    this.joinFailures = 0;
    this.joinTimer = null;
    this.connectFailures = 0;  // connections refused as `busy` in a row
    this.connectTimer = null;
    this.random = random;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.moveTimer = null;  // set while a draining server's client waits to move
    this.socket = io({
      transports,
      tryAllTransports: true,
      ...RECONNECTION,
      autoConnect: false,
      auth: (send) => send({ ...extraAuth, csrf_token: this.csrfToken, meeting: this.meetingId }),
    });
    this.socket.on("connect", () => {
      this.connectFailures = 0;
      this.#join();
    });
    this.socket.on("disconnect", (reason) => {
      this.#cancelMove();  // gone already: Socket.IO's own back-off takes over
      this.order.leave();
      // The server closed us on purpose (ban, logout): reconnecting would only be refused.
      this.#setStatus(reason === "io server disconnect" ? "closed" : "offline");
    });
    this.socket.on("connect_error", (error) => {
      const data = error && error.data;
      if (data && data.code === "busy") {
        // The server could not look us up now (a crowd arriving): ask again on the back-off.
        this.#setStatus("offline");
        this.#cancelConnectRetry();
        const timer = this.setTimer(() => {
          if (this.connectTimer !== timer) return;  // cancelled by a final refusal
          this.connectTimer = null;
          if (!this.socket.connected) this.socket.connect();
        }, joinRetryDelay(this.connectFailures++, this.random));
        this.connectTimer = timer;
      } else if (data && data.code) {
        this.#cancelConnectRetry();
        this.#setStatus("refused", data.message);
      } else {
        this.#setStatus("offline");
      }
    });
    this.socket.onAny((type, data) => {
      if (type === "server_draining") {
        this.#moveSoon(data && data.reconnect_within_ms);
        return;
      }
      // Several events for this page's room in one frame: handle each as if it came alone.
      if (type === "batch" && Array.isArray(data)) {
        for (const [batchedType, batchedData] of data) this.order.receive(batchedType, batchedData);
      } else {
        this.order.receive(type, data);
      }
    });
  }

  get lastSeq() {
    return this.order.lastSeq;
  }

  get joined() {
    return this.order.joined;
  }

  start() {
    this.socket.connect();
    return this;
  }

  /**
   * The browser has its network back (the window's `online` event): try at once rather
   * than at the end of a back-off that may have grown to its cap while the network was
   * away. A connection the server closed or refused on purpose stays as it is.
   */
  retryNow() {
    if (this.socket.connected || this.status === "closed" || this.status === "refused") return;
    this.#cancelConnectRetry();
    this.socket.disconnect();
    this.socket.connect();
  }

  /** Subscribe to a server event (live or replayed); returns an unsubscribe function. */
  on(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(handler);
    return () => this.handlers.set(type, this.handlers.get(type).filter((h) => h !== handler));
  }

  onSnapshot(handler) {
    this.snapshotHandlers.push(handler);
  }

  /**
   * A short rejoin's current figures (`{qa, board, presence}`, docs/protocol.md "join"):
   * counts by revision like their events, own votes and reactions as whole sets.
   */
  onFigures(handler) {
    this.figuresHandlers.push(handler);
  }

  onStatus(handler) {
    this.statusHandlers.push(handler);
    handler(this.status);
  }

  /** Commands waiting for a connection (or for their ack). */
  get unsent() {
    return this.outbox.length;
  }

  /**
   * Send a command; resolves with the ack `{ok, ...}` or `{ok: false, error}`.
   *
   * With `retry: true` a command the server stores once (one carrying `client_id`, or one
   * given a `key` because it sets a value, like `vote`) is kept while offline and resolves
   * once delivered after the rejoin. One entry per key: a newer intent replaces a waiting
   * one, whose promise resolves with the error code `superseded`. Anything else fails at once
   * while offline (code `offline`), as a retry could store it twice.
   */
  send(command, payload = {}, { retry = false, key = null } = {}) {
    const outboxKey = key ?? (payload.client_id ? `${command}:${payload.client_id}` : null);
    if (!retry || outboxKey === null) return this.#emit(command, payload);
    return new Promise((resolve) => {
      const waiting = this.outbox.findIndex((entry) => entry.key === outboxKey && !entry.sending);
      if (waiting >= 0) {
        this.outbox.splice(waiting, 1)[0].resolve(
          { ok: false, error: { code: "superseded", message: "" } });
      }
      this.outbox.push({ key: outboxKey, command, payload, resolve, sending: false });
      this.#flush();
    });
  }

  #emit(command, payload) {
    if (!this.socket.connected) {
      return Promise.resolve({ ok: false, error: { code: "offline", message: "" } });
    }
    return this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(command, payload)
      .catch(() => ({ ok: false, error: { code: "timeout", message: "" } }));
  }

  async #join() {
    const attempt = ++this.joinAttempt;
    if (this.joinTimer !== null) this.clearTimer(this.joinTimer);
    this.joinTimer = null;
    this.#setStatus("syncing");
    const ack = await this.#emit("join", { last_seq: this.order.lastSeq });
    if (attempt !== this.joinAttempt) return;  // a reconnect asked again meanwhile
    if (!ack.ok) {
      if (JOIN_AGAIN.has(ack.error && ack.error.code) && this.socket.connected) {
        const delay = joinRetryDelay(this.joinFailures++, this.random);
        this.joinTimer = this.setTimer(() => {
          this.joinTimer = null;
          if (attempt === this.joinAttempt && this.socket.connected) this.#join();
        }, delay);
        return;
      }
      this.#setStatus("refused", ack.error && ack.error.message);
      return;
    }
    this.joinFailures = 0;
    this.order.joinAck(ack);
    this.joins += 1;
    this.#setStatus("online");
    this.#flush();
  }

  /** Deliver the outbox one command at a time, oldest first, while joined. */
  async #flush() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length && this.joined) {
        const entry = this.outbox[0];
        const joins = this.joins;
        entry.sending = true;
        const ack = await this.#emit(entry.command, entry.payload);
        entry.sending = false;
        // Lost with the connection: it stays first and goes again after the (re)join.
        if (lost(ack) && (!this.joined || joins !== this.joins)) continue;
        this.outbox.splice(this.outbox.indexOf(entry), 1);
        entry.resolve(ack);
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * The server is stopping: reconnect, at a random moment within its window, so a crowd's
   * reconnects reach the other processes spread out. The rejoin carries the last seq seen.
   */
  #moveSoon(withinMs) {
    if (this.moveTimer !== null) return;
    this.moveTimer = this.setTimer(() => {
      this.moveTimer = null;
      if (!this.socket.connected) return;
      this.socket.disconnect();
      this.socket.connect();
    }, drainDelay(withinMs, this.random));
  }

  #cancelConnectRetry() {
    if (this.connectTimer === null) return;
    this.clearTimer(this.connectTimer);
    this.connectTimer = null;
  }

  #cancelMove() {
    if (this.moveTimer === null) return;
    this.clearTimer(this.moveTimer);
    this.moveTimer = null;
  }

  #setStatus(status, message) {
    this.status = status;
    for (const handler of this.statusHandlers) handler(status, message);
  }
}
