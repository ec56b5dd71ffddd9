// One live connection per page: authenticates, joins with the last seq seen, replays missed
// events in order, and hands commands to the server with an ack promise. The server may send
// several events in one `batch` frame ([[type, data], ...], commit order); they are unpacked
// here, so subscribers never see a `batch`. Which events apply is decided by ./order.js (the
// documented client rule); `revisions` keeps the newest of each count for the pages.
// The Socket.IO client (`io`) is handed in by ../live-page.js, so this module runs under
// `node --test` with a stand-in transport.
import { EventOrder, Revisions } from "./order.js";

const ACK_TIMEOUT_MS = 10000;

export class LiveConnection {
  constructor({ io, meetingId, csrfToken, transports = ["websocket", "polling"], extraAuth = {} }) {
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
    this.socket = io({
      transports,
      tryAllTransports: true,
      autoConnect: false,
      auth: (send) => send({ ...extraAuth, csrf_token: this.csrfToken, meeting: this.meetingId }),
    });
    this.socket.on("connect", () => this.#join());
    this.socket.on("disconnect", (reason) => {
      this.order.leave();
      // The server closed us on purpose (ban, logout): reconnecting would only be refused.
      this.#setStatus(reason === "io server disconnect" ? "closed" : "offline");
    });
    this.socket.on("connect_error", (error) => {
      const data = error && error.data;
      if (data && data.code) {
        this.#setStatus("refused", data.message);
      } else {
        this.#setStatus("offline");
      }
    });
    this.socket.onAny((type, data) => {
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

  /** Send a command; resolves with the ack `{ok, ...}` or `{ok: false, error}`. */
  send(command, payload = {}) {
    if (!this.socket.connected) {
      return Promise.resolve({ ok: false, error: { code: "offline", message: "" } });
    }
    return this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(command, payload)
      .catch(() => ({ ok: false, error: { code: "timeout", message: "" } }));
  }

  async #join() {
    this.#setStatus("syncing");
    const ack = await this.send("join", { last_seq: this.order.lastSeq });
    if (!ack.ok) {
      this.#setStatus("refused", ack.error && ack.error.message);
      return;
    }
    this.order.joinAck(ack);
    this.#setStatus("online");
  }

  #setStatus(status, message) {
    this.status = status;
    for (const handler of this.statusHandlers) handler(status, message);
  }
}
