// One live connection per page: authenticates, joins with the last seq seen, replays missed
// events in order, and hands commands to the server with an ack promise. The server may send
// several events in one `batch` frame ([[type, data], ...], commit order); they are unpacked
// here, so subscribers never see a `batch`.
import { io } from "/static/vendor/socket.io.esm.min.js";

const ACK_TIMEOUT_MS = 10000;

export class LiveConnection {
  constructor({ meetingId, csrfToken, transports = ["websocket", "polling"], extraAuth = {} }) {
    this.meetingId = meetingId;
    this.csrfToken = csrfToken;
    this.lastSeq = null;
    this.joined = false;
    this.handlers = new Map();
    this.snapshotHandlers = [];
    this.statusHandlers = [];
    this.buffer = [];
    this.status = "connecting";
    this.socket = io({
      transports,
      tryAllTransports: true,
      autoConnect: false,
      auth: (send) => send({ ...extraAuth, csrf_token: this.csrfToken, meeting: this.meetingId }),
    });
    this.socket.on("connect", () => this.#join());
    this.socket.on("disconnect", (reason) => {
      this.joined = false;
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
        for (const [batchedType, batchedData] of data) this.#receive(batchedType, batchedData);
      } else {
        this.#receive(type, data);
      }
    });
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
    const ack = await this.send("join", { last_seq: this.lastSeq });
    if (!ack.ok) {
      this.#setStatus("refused", ack.error && ack.error.message);
      return;
    }
    if (ack.snapshot) {
      this.lastSeq = ack.snapshot.seq;
      for (const handler of this.snapshotHandlers) handler(ack.snapshot);
    } else {
      for (const event of ack.events) this.#apply(event.type, event.data);
      this.lastSeq = Math.max(this.lastSeq ?? 0, ack.seq);
    }
    this.joined = true;
    const buffered = this.buffer;
    this.buffer = [];
    for (const [type, data] of buffered) this.#apply(type, data);
    this.#setStatus("online");
  }

  #receive(type, data) {
    if (!this.joined && data && typeof data.seq === "number") {
      this.buffer.push([type, data]);  // arrived while catching up: apply after the replay
      return;
    }
    this.#apply(type, data);
  }

  #apply(type, data) {
    if (data && typeof data.seq === "number") {
      if (this.lastSeq !== null && data.seq <= this.lastSeq) return;  // already seen
      this.lastSeq = data.seq;
    }
    for (const handler of this.handlers.get(type) || []) handler(data);
  }

  #setStatus(status, message) {
    this.status = status;
    for (const handler of this.statusHandlers) handler(status, message);
  }
}

/** Read `data-meeting-id` and the CSRF token from the page and connect. */
export function connectFromPage(root = document.body, extraAuth = {}) {
  const meetingId = Number(root.dataset.meetingId);
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const transports = root.dataset.transports ? root.dataset.transports.split(",") : undefined;
  return new LiveConnection({ meetingId, csrfToken, transports, extraAuth });
}
