// Driver for the arrival benchmarks (bench/arrival.py): admission and the reconnect storm.
// Usage: node bench/arrival.mjs <config.json>; prints one JSON result line on stdout.
//   {scenario: "admit", url, clients: [{cookie, auth}], concurrency | rate, pids, hold}
//     closed loop (`concurrency` clients connecting and joining at a time) or open loop
//     (a new client every 1/`rate` s, whether or not the earlier ones are in); `hold`: keep
//     everyone connected 2 s after the last join and read the server's RSS (`pids`);
//     `save_ack`: a file to write the first join's answer to (the bare server's same-size join).
//   {scenario: "storm", url, clients, driver, sample, mix, before_s, after_s, pids}
//     everyone joins, the mix runs, then the driver prints "READY" and waits on stdin for
//     "sigterm <epoch ms>" and "up <epoch ms>" while Python restarts the server; every client
//     comes back with the browser's back-off and `join {last_seq}`.
//
// Every client speaks the WebSocket framing by hand on a TCP socket (thousands of `ws` clients
// would cost the generator more than the server). It offers permessage-deflate as a browser
// does; Puente always compresses without context takeover (realtime/transport/shared_deflate.py)
// and the client asks for it too, so any one frame can be inflated on its own: a client inflates
// frames only while it waits for its join ack, or all of them if it is in the sample.
import { readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { connect as tcpConnect } from "node:net";
import { createInterface } from "node:readline";
import { constants as zlibConstants, inflateRawSync } from "node:zlib";
import { clientTextFrame, readFrames } from "./ws-frames.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value, digits = 1) => (value === null || value === undefined || Number.isNaN(value) ? null : Number(value.toFixed(digits)));
const loadCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const TAIL = Buffer.from([0, 0, 0xff, 0xff]);
const SYNC = { finishFlush: zlibConstants.Z_SYNC_FLUSH };

function percentile(values, p) {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function rssBytes(pids) {
  let total = 0;
  for (const pid of pids || []) {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    total += Number(match[1]) * 1024;
  }
  return total;
}

// socket.io-client's Backoff with the browser client's settings (static/js/live/connection.js:
// 1 s doubling to a 10 s cap, +-50 % jitter; the cap applies after the jitter, as there).
function backoff(attempt) {
  const ms = 1000 * 2 ** attempt;
  const rand = Math.random();
  const deviation = Math.floor(rand * 0.5 * ms);
  const jittered = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
  return Math.min(jittered, 10000);
}

/** Connections opened again after each client's first. */
function reconnectsOf(clients) {
  return clients.reduce((n, c) => n + Math.max(0, c.connects - 1), 0);
}

/** One attendee (or the driver): connect, Socket.IO connect, `join`, then stay. */
class RawClient {
  constructor(spec, url, { full = false, onJoined = null, onEvent = null } = {}) {
    this.spec = spec;
    this.target = new URL(url.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket");
    this.full = full;
    this.onJoined = onJoined;
    this.onEvent = onEvent;
    this.acks = new Map();
    this.nextAck = 1;
    this.lastSeq = null;  // what `join` sends; the sample keeps its own
    this.joined = false;
    this.closedOnPurpose = false;
    this.attempts = 0;
    this.reconnect = false;
    this.failures = 0;
    this.connects = 0;
  }

  open() {
    this.connects += 1;
    this.began = now();
    this.joined = false;
    this.upgraded = false;
    this.buffer = null;
    this.frames = 0;
    const socket = tcpConnect(Number(this.target.port), this.target.hostname);
    this.socket = socket;
    socket.setNoDelay(true);
    const lines = [
      `GET ${this.target.pathname}${this.target.search} HTTP/1.1`, `Host: ${this.target.host}`,
      "Upgrade: websocket", "Connection: Upgrade",
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`, "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits",
    ];
    if (this.spec.cookie) lines.push(`Cookie: ${this.spec.cookie}`);
    socket.on("connect", () => socket.write(lines.join("\r\n") + "\r\n\r\n"));
    socket.on("data", (chunk) => { if (socket === this.socket) this.data(chunk); });
    socket.on("error", () => {});
    socket.on("close", () => { if (socket === this.socket) this.lost(); });
  }

  lost() {
    this.joined = false;
    this.socket = null;
    for (const resolve of this.acks.values()) resolve(null);
    this.acks.clear();
    if (this.closedOnPurpose || !this.reconnect) { this.failures += 1; return; }
    if (this.onLost) this.onLost();
    if (!this.lostAt) this.lostAt = now();
    setTimeout(() => { if (!this.closedOnPurpose) this.open(); }, backoff(this.attempts++));
  }

  /** The browser's answer to `server_draining`: leave within the window and come back. */
  moveWithin(ms) {
    setTimeout(() => {
      if (!this.socket || this.closedOnPurpose) return;
      if (this.onLost) this.onLost();
      this.lostAt = this.lostAt || now();
      const socket = this.socket;
      this.socket = null;
      this.joined = false;
      socket.destroy();
      this.open();  // at once, as socket.connect() after disconnect(); back-off if refused
    }, Math.random() * ms);
  }

  close() {
    this.closedOnPurpose = true;
    if (this.socket) this.socket.destroy();
  }

  send(text) {
    if (!this.socket || !this.upgraded) return false;
    this.socket.write(clientTextFrame(text));
    return true;
  }

  call(command, payload) {
    const id = this.nextAck++;
    return new Promise((resolve) => {
      if (!this.send(`42${id}` + JSON.stringify([command, payload]))) { resolve(null); return; }
      this.acks.set(id, resolve);
    });
  }

  data(chunk) {
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (!this.upgraded) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end === -1) return;
      if (!this.buffer.subarray(0, 12).toString().includes("101")) { this.socket.destroy(); return; }
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    const socket = this.socket;
    const rest = readFrames(this.buffer, (first, body) => {
      if ((first & 0x0f) === 8) { socket.destroy(); return false; }  // close frame
      this.frame(first, body);
      return this.socket === socket && !socket.destroyed;
    });
    if (this.socket === socket) this.buffer = rest;
  }

  sendJoin() {
    this.sentLastSeq = this.lastSeq;
    this.send(`42${this.nextAck++}` + JSON.stringify(["join", { last_seq: this.lastSeq }]));
    this.joinId = this.nextAck - 1;
  }

  frame(first, body) {
    this.frames += 1;
    if (this.joined && !this.full) return;  // counting only
    const text = ((first & 0x40) ? inflateRawSync(Buffer.concat([body, TAIL]), SYNC) : body).toString();
    if (text === "2") { this.send("3"); return; }
    if (text[0] === "0") { this.send("40" + JSON.stringify(this.spec.auth || {})); return; }
    if (text.startsWith("40")) {
      this.joinFailures = 0;
      this.sendJoin();
      return;
    }
    if (text.startsWith("44")) { this.refused = text.slice(2, 200); this.socket.destroy(); return; }
    if (text.startsWith("43")) {
      const start = text.indexOf("[");
      const id = Number(text.slice(2, start));
      if (id === this.joinId && !this.joined) {
        // As the page does (static/js/live/connection.js): a join answered busy or
        // server_error is asked again on the back-off's schedule.
        if (text.startsWith('[{"ok":false', start)) {
          const code = JSON.parse(text.slice(start))[0].error?.code;
          if (code === "busy" || code === "server_error") {
            this.joinRetries = (this.joinRetries || 0) + 1;
            const socket = this.socket;
            setTimeout(() => { if (socket === this.socket && !this.joined) this.sendJoin(); },
              backoff(this.joinFailures++));
            return;
          }
        }
        this.joined = true;
        this.attempts = 0;
        const ack = this.full ? JSON.parse(text.slice(start))[0] : null;
        if (this.onJoined) this.onJoined(this, text, ack);
        return;
      }
      const resolve = this.acks.get(id);
      this.acks.delete(id);
      if (resolve) resolve(JSON.parse(text.slice(start))[0]);
      return;
    }
    if (text.startsWith("42") && this.onEvent) this.onEvent(this, text);
  }
}

async function admit() {
  const times = [];    // join ack latency of every arrival; a client that gave up counts with
  const sizes = [];    // the time it waited (a lower bound), so the p99 does not forget it
  const failures = [];
  const rssBefore = rssBytes(config.pids);
  const cpu0 = loadCpu();
  const clients = [];
  const start = now();
  const total = config.clients.length;
  const giveUpMs = config.give_up_ms || 60000;
  const stopLaunching = start + (config.max_seconds || 300) * 1000;
  // Joined clients stop reading frames: answer the server's pings regardless (an unsolicited
  // pong is harmless), or a long admission would lose its first clients.
  const pong = setInterval(() => { for (const c of clients) if (c.joined) c.send("3"); }, 10000);
  let launched = 0;
  await new Promise((resolve) => {
    let done = 0;
    let next = 0;
    const finish = () => {
      done += 1;
      if (done === launched && (next === total || now() > stopLaunching)) resolve();
      else if (config.concurrency) launch();
    };
    const begin = (index) => {
      launched += 1;
      const client = new RawClient(config.clients[index], config.url, {
        onJoined: (c, text) => {
          if (c.gaveUp) return;
          times.push(now() - c.arrived);
          if (config.save_ack && !sizes.length) writeFileSync(config.save_ack, text.slice(text.indexOf("[") + 1, -1));
          if (sizes.length < 50) sizes.push(Buffer.byteLength(text));
          clearTimeout(c.timer);
          finish();
        },
      });
      const giveUp = (reason) => {
        if (client.joined || client.gaveUp) return;
        client.gaveUp = true;
        failures.push(reason);
        times.push(now() - client.arrived);
        clearTimeout(client.timer);
        client.close();
        finish();
      };
      // As the page: a connect refused (`busy`) or closed comes back on the back-off, and
      // the wait counts from the first arrival until the join's ack or the give-up.
      client.reconnect = true;
      client.arrived = now();
      client.timer = setTimeout(() => giveUp(`no join ack within ${giveUpMs / 1000} s` +
        (client.refused ? ` (last refused: ${client.refused})` : "")), giveUpMs);
      clients.push(client);
      client.open();
    };
    const launch = () => {
      while (next < total && next - done < config.concurrency && now() <= stopLaunching) begin(next++);
    };
    if (config.concurrency) launch();
    else {
      // Open loop: arrivals on a fixed schedule, however far behind the server is.
      const interval = 1000 / config.rate;
      const tick = () => {
        const due = Math.min(total, Math.floor((now() - start) / interval) + 1);
        while (next < due) begin(next++);
        if (next < total) setTimeout(tick, Math.max(1, start + next * interval - now()));
      };
      tick();
    }
  });
  const seconds = (now() - start) / 1000;
  const joined = times.length - failures.length;
  const out = {
    clients: total, arrived: launched, joined, failed: failures.length,
    failure: failures[0] || null, seconds: round(seconds, 2),
    joins_per_s: round(joined / seconds, 1),
    offered_per_s: config.rate || null,
    p50_ms: round(percentile(times, 50)), p99_ms: round(percentile(times, 99)),
    max_ms: round(times.length ? Math.max(...times) : null),
    ack_bytes: sizes.length ? Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length) : null,
    join_retries: clients.reduce((n, c) => n + (c.joinRetries || 0), 0),
    reconnects: reconnectsOf(clients),
    loadgen_cpu_s: round(loadCpu() - cpu0, 2),
  };
  if (config.hold && config.pids) {
    await sleep(2000);
    const rss = rssBytes(config.pids);
    const held = clients.filter((c) => c.joined && c.socket && !c.socket.destroyed).length;
    out.held = held;
    out.rss_mb = Math.round(rss / 1048576);
    out.rss_per_joined_kb = held ? Math.round((rss - rssBefore) / held / 1024) : null;
  }
  clearInterval(pong);
  clients.forEach((client) => client.close());
  return out;
}

async function storm() {
  const total = config.clients.length;
  const sampleSize = Math.min(config.sample || 200, total);
  const mix = config.mix;
  const reference = new Set();     // every logged seq of the mix (driver acks, sample receipts)
  let sigterm = null;
  let up = null;
  let measuring = false;
  let highestSampled = 0;          // the sample's last seq: what counting clients rejoin with
  const deliveries = [];            // [send time, latency] on the sample
  const sentAt = [];                // send times of the driver's emits
  let draining = false;             // the sample has had `server_draining`
  const gapStats = { replayEvents: 0 };

  // `live`: received as it happened (not replayed in a join ack): only these make the
  // latency windows, which show the fan-out recovering, not how long a client was away.
  // The sample keeps `seq` by the browser's rule (static/js/live/order.js): until a join ack
  // every event is buffered (across drops too); a replay applies its events, then lastSeq
  // rises to the ack's seq; an event applies only above lastSeq; a snapshot sets lastSeq.
  const apply = (client, seq) => {
    client.received.set(seq, (client.received.get(seq) || 0) + 1);
    if (client.lastSeq !== null && seq <= client.lastSeq) return;
    client.lastSeq = seq;
    client.seqs.push(seq);
    highestSampled = Math.max(highestSampled, seq);
  };
  const record = (client, type, data, at, live = true) => {
    if (data && typeof data.seq === "number") {
      reference.add(data.seq);
      if (client.joined) apply(client, data.seq);
      else client.pending.push(data.seq);
    }
    if (live && measuring && data && typeof data.t === "number") deliveries.push([data.t, at - data.t]);
  };
  const onEvent = (client, text) => {
    const at = now();
    const [type, data] = JSON.parse(text.slice(2));
    if (type === "server_draining") {
      const within = (data && data.reconnect_within_ms) || 0;
      client.moveWithin(within);
      // Counting clients do not read frames once joined: they act on the same message, at
      // the moment the sample gets it.
      if (!draining) for (const other of clients.slice(sampleSize)) other.moveWithin(within);
      draining = true;
      return;
    }
    if (type === "batch") for (const [t, d] of data) record(client, t, d, at);
    else record(client, type, data, at);
  };
  const onJoined = (client, text, ack) => {
    if (client.full && ack) {
      const events = ack.events || [];
      client.joins.push({ at: Math.round(now() - (sigterm || now())), sent: client.sentLastSeq, ok: ack.ok, seq: ack.seq,
                          snapshot: Boolean(ack.snapshot), events: events.length,
                          first: events.length ? events[0].data.seq : null,
                          last: events.length ? events[events.length - 1].data.seq : null,
                          error: ack.error || null });
    }
    if (client.full && ack && ack.ok) {
      if (ack.snapshot) {
        client.covered = Math.max(client.covered, ack.seq);  // state, not events
        client.lastSeq = ack.seq;
      } else {
        for (const event of ack.events || []) record(client, event.type, event.data, now(), false);
        client.lastSeq = Math.max(client.lastSeq ?? 0, ack.seq);
      }
      if (sigterm) gapStats.replayEvents += (ack.events || []).length;
      const buffered = client.pending;
      client.pending = [];
      for (const seq of buffered) apply(client, seq);
    }
    client.frozenSeq = null;
    if (sigterm && client.lostAt) {
      // The last rejoin counts: one made to the stopping process before its listener closed
      // is lost again and made once more.
      client.rejoin = [now() - sigterm, text.includes('"snapshot"') ? "snapshot" : "replay"];
      client.lostAt = null;
    }
  };
  const clients = config.clients.map((spec, i) => {
    const client = new RawClient(spec, config.url, { full: i < sampleSize, onJoined, onEvent });
    client.seqs = [];          // applied
    client.received = new Map();  // seq -> times received
    client.pending = [];
    client.frozenSeq = null;
    client.joins = [];
    client.covered = 0;
    return client;
  });
  // Counting clients do not read the events: they rejoin with the sample's last applied seq
  // at the moment they lost their connection.
  for (const client of clients.slice(sampleSize)) {
    Object.defineProperty(client, "lastSeq", {
      get: () => client.frozenSeq ?? (highestSampled || null), set: () => {} });
    client.onLost = () => { if (client.frozenSeq === null) client.frozenSeq = highestSampled || null; };
  }
  const pong = setInterval(() => { for (const c of clients) if (c.joined) c.send("3"); }, 10000);

  // Everyone in, `connectConcurrency` at a time (the admission rows measure this part).
  const t0 = now();
  let next = 0;
  const concurrency = config.connectConcurrency || 50;
  while (clients.filter((c) => c.joined).length < total && now() - t0 < 300000) {
    const joinedOrFailed = clients.slice(0, next).filter((c) => c.joined || c.failures).length;
    while (next < total && next - joinedOrFailed < concurrency) clients[next++].open();
    await sleep(20);
    if (next === total && clients.every((c) => c.joined || c.failures)) break;
  }
  const connectSeconds = (now() - t0) / 1000;
  const joinedBefore = clients.filter((c) => c.joined).length;
  for (const client of clients) client.reconnect = true;
  for (const client of clients.slice(0, sampleSize)) { client.seqs = []; client.received = new Map(); }

  const driver = new RawClient(config.driver, config.url, { full: true, onJoined: () => {}, onEvent: (c, text) => {
    const [type, data] = JSON.parse(text.slice(2));
    if (type === "server_draining") c.moveWithin((data && data.reconnect_within_ms) || 0);
  } });
  driver.reconnect = true;
  driver.open();
  while (!driver.joined) await sleep(20);

  const text = "¿Cómo organizaron la vigilancia comunitaria en los barrios? ".repeat(3);
  let sent = 0;
  const answered = [];  // the driver's emits, settled when their ack (or nothing) came
  const emit = (type, payload, logged) => {
    if (!driver.joined) return;
    payload.t = now();
    sentAt.push(payload.t);
    answered.push(driver.call("bench_emit", { type, payload, logged }).then((ack) => {
      if (ack && typeof ack.seq === "number" && logged) reference.add(ack.seq);
    }));
    sent += 1;
  };
  let playing = true;
  const play = (async () => {
    const due = { questions: 0, votes: 0, posts: 0 };
    const tick = 10;
    const start = now();
    for (let elapsed = 0; playing; elapsed += tick) {
      due.questions += (mix.questions * tick) / 1000;
      due.votes += (mix.votes * tick) / 1000;
      due.posts += (mix.posts * tick) / 1000;
      for (; due.questions >= 1; due.questions -= 1) emit("bench_question_approved", { question: { id: sent, text, author: "Asistente", votes: 0, status: "live", language: "es" } }, true);
      for (; due.votes >= 1; due.votes -= 1) emit("bench_vote_tally", { question: sent % 20, votes: sent }, false);
      for (; due.posts >= 1; due.posts -= 1) emit("bench_post_published", { post: { id: sent, text: "Saludos desde Lima 你好", author: "Asistente" } }, true);
      const wait = start + elapsed + tick - now();
      if (wait > 0) await sleep(wait);
    }
  })();
  measuring = true;
  const mixStart = now();
  await sleep(config.before_s * 1000);

  // Python stops the server and starts it again on the same port and database.
  const lines = createInterface({ input: process.stdin });
  const told = new Promise((resolve) => {
    lines.on("line", (line) => {
      const [word, value] = line.trim().split(" ");
      if (word === "sigterm") sigterm = Number(value);
      if (word === "up") { up = Number(value); resolve(); }
    });
  });
  process.stdout.write("READY\n");
  await told;
  // Until everyone is back and `min_after_s` have passed (the latency windows), or `after_s`.
  const deadline = sigterm + config.after_s * 1000;
  while (now() < deadline) {
    if (now() > sigterm + config.min_after_s * 1000 && clients.every((c) => c.joined && c.rejoin)) break;
    await sleep(50);
  }
  const back = clients.filter((c) => c.joined && c.rejoin);
  const rejoins = back.map((c) => c.rejoin);
  const allBackMs = back.length === total ? Math.max(...rejoins.map(([ms]) => ms)) : null;
  playing = false;
  await play;
  // The last events of the mix reach the sample (or 20 s pass: they are then missed). Every
  // emit's ack is awaited first (an ack lost with a dropped socket never comes, hence the
  // bound), and the last seq is read afresh each time: one fixed before a slow ack came
  // would end the wait early and count that last event missed by every sampled client.
  await Promise.race([Promise.all(answered), sleep(20000)]);
  const settle = now() + 20000;
  while (now() < settle && clients.slice(0, sampleSize).some((c) => c.joined && Math.max(0, ...c.seqs) < Math.max(...reference))) await sleep(100);
  measuring = false;
  clearInterval(pong);

  // Each sampled client against every logged seq of the mix within its span: missed (not
  // received and not covered by a snapshot) and received more than once.
  const first = Math.min(...[...reference].filter((s) => s > 0));
  const last = Math.max(...reference);
  let missedClients = 0;
  let missed = 0;
  let duplicatedClients = 0;
  let duplicated = 0;
  let checked = 0;
  const examples = [];  // a few clients that missed events: what they missed, their last joins
  for (const client of back.filter((c) => c.full)) {
    checked += 1;
    const seen = new Set(client.seqs);
    const begin = Math.max(first, Math.min(...client.seqs, last));
    let m = 0;
    for (const seq of reference) if (seq >= begin && seq <= last && seq > client.covered && !seen.has(seq)) m += 1;
    let d = 0;
    for (const count of client.received.values()) if (count > 1) d += count - 1;
    if (m && examples.length < 3) {
      examples.push({ missing: [...reference].filter((seq) => seq >= begin && seq <= last && seq > client.covered && !seen.has(seq)).sort((x, y) => x - y).slice(0, 30),
                      joins: client.joins.slice(-4), first: client.seqs.slice(0, 5), tail: client.seqs.slice(-10) });
    }
    missed += m;
    duplicated += d;
    if (m) missedClients += 1;
    if (d) duplicatedClients += 1;
  }

  // The mix's latency by second of sending, from 5 s before the SIGTERM.
  const windows = [];
  const measured = Math.ceil((now() - sigterm) / 1000);
  for (let w = -Math.min(5, config.before_s); w < measured; w += 1) {
    const lo = sigterm + w * 1000;
    const lat = deliveries.filter(([t]) => t >= lo && t < lo + 1000).map(([, l]) => l);
    windows.push({ s: w, sent: sentAt.filter((t) => t >= lo && t < lo + 1000).length,
                   deliveries: lat.length, p99_ms: round(percentile(lat, 99)) });
  }
  // Back under 250 ms: the first second after which every window with deliveries stays under.
  let recovered = null;
  for (let i = windows.length - 1; i >= 0; i -= 1) {
    const w = windows[i];
    if (w.s < 0) break;
    if (w.deliveries && w.p99_ms > 250) break;
    if (w.deliveries) recovered = w.s;
  }
  const before = deliveries.filter(([t]) => t < sigterm && t >= mixStart).map(([, l]) => l);
  const out = {
    clients: total, joined_before: joinedBefore, connect_s: round(connectSeconds, 2),
    sample: sampleSize, server_down_ms: Math.round(up - sigterm),
    rejoined: rejoins.length,
    join_retries: clients.reduce((n, c) => n + (c.joinRetries || 0), 0),
    reconnects: reconnectsOf(clients),
    all_back_s: allBackMs === null ? null : round(allBackMs / 1000, 2),
    rejoin_p50_s: round(percentile(rejoins.map(([ms]) => ms), 50) / 1000, 2),
    rejoin_p99_s: round(percentile(rejoins.map(([ms]) => ms), 99) / 1000, 2),
    replays: rejoins.filter(([, kind]) => kind === "replay").length,
    snapshots: rejoins.filter(([, kind]) => kind === "snapshot").length,
    replayed_events_sample: gapStats.replayEvents,
    logged_events: reference.size,
    missed_examples: examples, sample_checked: checked, sample_missed_clients: missedClients, sample_missed_events: missed,
    sample_duplicated_clients: duplicatedClients, sample_duplicated_events: duplicated,
    p99_before_ms: round(percentile(before, 99)),
    back_under_250ms_s: recovered,
    windows,
    loadgen_cpu_s: round(loadCpu(), 2),
  };
  clients.forEach((client) => client.close());
  driver.close();
  return out;
}

const scenarios = { admit, storm };
scenarios[config.scenario]()
  .then((result) => { process.stdout.write(JSON.stringify(result) + "\n"); setTimeout(() => process.exit(0), 100); })
  .catch((error) => { console.error(error); process.exit(1); });
