// Load generator: many Socket.IO attendees in one Node.js process, plus one driver that sends
// the event mix. One core must hold thousands of sockets without becoming the bottleneck (its
// own CPU is measured and reported), so:
// - a sample of attendees (`sample`, default 200) are full WebSocket clients (`ws`, inflating
//   permessage-deflate like a browser) that read every event: latency and loss come from them;
// - the others speak the WebSocket framing by hand on a TCP socket: they negotiate the same
//   extension, send the same Engine.IO/Socket.IO connect and join, and count frames without
//   inflating or parsing them. Every member of a room receives the same frames, so a counting
//   client that saw fewer frames than the sample lost some.
//
// Usage: node bench/loadgen.mjs <config.json>; prints one JSON result line on stdout.
// Config: {urls, clients: [{cookie, auth}], driver: {cookie, auth}, joinAll, deflate, sample,
//          mix: {seconds, questions, votes, posts}, burst, pids, connectConcurrency}
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { connect as tcpConnect } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import WebSocket from "ws";
import { clientTextFrame, readFrames } from "./ws-frames.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuTicks(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);  // utime + stime
  }
  return ticks / 100;  // USER_HZ
}

function rssBytes(pids) {
  let total = 0;
  for (const pid of pids) {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    total += Number(match[1]) * 1024;
  }
  return total;
}

// `byQuarter`: the same latencies by where the client joined (first to last quarter of the
// connection order), since a room's frame is written to its sockets in that order.
const stats = { latencies: [], events: 0, byQuarter: [[], [], [], []] };
let measuring = false;

/** A sampled attendee: a full WebSocket client that reads every event. */
class Attendee {
  constructor(spec, url, onReady) {
    this.spec = spec;
    this.ready = false;
    this.failed = null;
    this.measured = 0;
    this.onReady = onReady;
    this.ws = new WebSocket(url, {
      headers: spec.cookie ? { Cookie: spec.cookie } : {},
      perMessageDeflate: config.deflate ? { threshold: 0 } : false,
    });
    this.ws.on("message", (raw) => this.receive(raw.toString()));
    this.ws.on("error", (error) => this.fail(String(error.message || error)));
    this.ws.on("close", () => this.fail("closed"));
  }

  fail(reason) {
    if (this.failed || this.closedOnPurpose) return;
    this.failed = reason;
    if (!this.ready) this.onReady(this);
  }

  send(text) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  receive(text) {
    if (measuring) this.measured += 1;
    const type = text.charCodeAt(0);
    if (type === 50) { this.send("3"); return; }           // "2" ping -> "3" pong
    if (type === 48) { this.send("40" + JSON.stringify(this.spec.auth || {})); return; }  // open
    if (type !== 52) return;                                  // "4" message
    const kind = text.charCodeAt(1);
    if (kind === 48) { this.send('420["join",{"last_seq":null}]'); return; }  // "40" connected
    if (kind === 52) { this.fail(text.slice(2, 200)); return; }              // "44" refused
    if (kind === 51) { if (!this.ready && !this.failed) { this.ready = true; this.onReady(this); } return; }
    if (kind !== 50 || !measuring) return;                    // "42" event
    // Every bench payload carries "t" (send time, ms); scanning for it is far cheaper than
    // JSON.parse, and the sample reads every event.
    const at = now();
    let index = text.indexOf('"t":', 2);
    while (index !== -1) {
      let end = index + 4;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if ((c < 48 || c > 57) && c !== 46) break;
        end += 1;
      }
      const latency = at - Number(text.slice(index + 4, end));
      stats.events += 1;
      stats.latencies.push(latency);
      stats.byQuarter[this.quarter || 0].push(latency);
      index = text.indexOf('"t":', end);
    }
  }

  close() {
    this.closedOnPurpose = true;
    this.ws.terminate();
  }
}

/** A counting attendee: hand-made WebSocket framing, no inflate, no JSON. */
class CountingAttendee {
  constructor(spec, url, onReady) {
    this.spec = spec;
    this.ready = false;
    this.failed = null;
    this.frames = 0;
    this.measured = 0;
    this.onReady = onReady;
    this.buffer = null;
    this.upgraded = false;
    const target = new URL(url);
    this.socket = tcpConnect(Number(target.port), target.hostname);
    this.socket.setNoDelay(true);
    const lines = [
      `GET ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`,
      "Upgrade: websocket", "Connection: Upgrade",
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`, "Sec-WebSocket-Version: 13",
    ];
    if (config.deflate) lines.push("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
    if (spec.cookie) lines.push(`Cookie: ${spec.cookie}`);
    this.socket.on("connect", () => this.socket.write(lines.join("\r\n") + "\r\n\r\n"));
    this.socket.on("data", (chunk) => this.data(chunk));
    this.socket.on("error", (error) => this.fail(String(error.message || error)));
    this.socket.on("close", () => this.fail("closed"));
  }

  fail(reason) {
    if (this.failed || this.closedOnPurpose) return;
    this.failed = reason;
    if (!this.ready) this.onReady(this);
  }

  close() {
    this.closedOnPurpose = true;
    this.socket.destroy();
  }

  send(text) {
    this.socket.write(clientTextFrame(text));
  }

  data(chunk) {
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (!this.upgraded) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end === -1) return;
      if (!this.buffer.subarray(0, 12).toString().includes("101")) { this.fail("handshake refused"); return; }
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    this.buffer = readFrames(this.buffer, () => { this.frame(); });
  }

  frame() {
    this.frames += 1;
    if (measuring) this.measured += 1;
    // open -> send connect; connected -> send join; join ack -> ready.
    // Without `joinAll` counting attendees stop after the connect: they are in the meeting's
    // room from then on, and the join's snapshot cost is measured by the `joins` scenario.
    if (this.frames === 1) this.send("40" + JSON.stringify(this.spec.auth || {}));
    else if (this.frames === 2 && config.joinAll) this.send('420["join",{"last_seq":null}]');
    if (this.frames === (config.joinAll ? 3 : 2) && !this.failed) { this.ready = true; this.onReady(this); }
  }
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const loadCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const round = (value, digits = 1) => (value === null || Number.isNaN(value) ? null : Number(value.toFixed(digits)));

async function connectAll(specs, urlFor, sample, counting = []) {
  const concurrency = config.connectConcurrency || 100;
  // The sampled clients are spread evenly over the connection order: the server writes a
  // room's frame to its sockets in that order, so sampling only the first would see only
  // the first written.
  const slot = (index) => Math.floor((index * sample) / specs.length);
  const attendees = [];
  let next = 0;
  let inFlight = 0;
  let done = 0;
  return new Promise((resolve) => {
    const launch = () => {
      while (inFlight < concurrency && next < specs.length) {
        inFlight += 1;
        const index = next++;
        const sampledHere = slot(index) !== slot(index - 1);
        const Kind = sampledHere ? Attendee : CountingAttendee;
        const attendee = new Kind(specs[index], urlFor(), () => {
          inFlight -= 1;
          done += 1;
          if (done === specs.length) resolve(attendees);
          else launch();
        });
        attendee.quarter = Math.min(3, Math.floor((4 * index) / specs.length));
        attendees.push(attendee);
        if (attendee instanceof CountingAttendee) counting.push(attendee);
        // A connection the server never answers must fail, not stall the whole run.
        setTimeout(() => { if (!attendee.ready) attendee.fail("no join ack within 60 s"); }, 60000);
      }
    };
    launch();
  });
}

async function main() {
  const servers = config.urls;
  let turn = 0;
  const urlFor = () => `${servers[turn++ % servers.length].replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`;
  const pids = config.pids || [];
  const serverCpu = () => (pids.length ? cpuTicks(pids) : 0);
  const rssBefore = pids.length ? rssBytes(pids) : 0;
  const sample = Math.min(config.sample || 200, config.clients.length);
  const t0 = now();
  // Counting attendees cannot read the server's pings: answer every 10 s regardless (an
  // unsolicited pong is harmless), from the first connection on, or a long ramp-up would
  // let the server drop the earliest clients for a missed pong.
  const counting = [];
  const pong = setInterval(() => { for (const a of counting) if (!a.failed && a.upgraded) a.send("3"); }, 10000);
  const progress = setInterval(() => {
    const ready = counting.filter((a) => a.ready).length;
    const failed = counting.filter((a) => a.failed).length;
    process.stderr.write(`connecting: ${ready} counting clients ready, ${failed} failed, ${counting.length} started\n`);
  }, 5000);
  const attendees = await connectAll(config.clients, urlFor, sample, counting);
  clearInterval(progress);
  const connectSeconds = (now() - t0) / 1000;
  await sleep(2000);  // let the server settle before measuring idle memory
  const rssIdle = pids.length ? rssBytes(pids) : 0;
  const live = () => attendees.filter((a) => a.ready && !a.failed);
  const ready = live().length;
  const sampled = live().filter((a) => a instanceof Attendee);

  turn = 0;
  const [driver] = await connectAll([config.driver], urlFor, 1);
  if (driver.ready && !driver.failed) sampled.push(driver);
  const emit = (type, payload, logged) => {
    payload.t = now();
    driver.send("42" + JSON.stringify(["bench_emit", { type, payload, logged }]));
  };
  const text = "¿Cómo organizaron la vigilancia comunitaria en los barrios? ".repeat(3);
  const question = (i) => ({ id: i, text, author: "Asistente", votes: 0, status: "live", language: "es" });
  const results = [];
  const frames = () => attendees.reduce((sum, a) => sum + a.measured, 0);

  async function phase(name, play) {
    stats.latencies = [];
    stats.byQuarter = [[], [], [], []];
    stats.events = 0;
    // How late this process's own loop ran: a reading waits for it, so it is part of every
    // measured latency (the load generator shares the machine with the server).
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const frames0 = frames();
    const cpuS0 = serverCpu();
    const cpuL0 = loadCpu();
    const start = now();
    const sent = await play();
    const expected = sent * sampled.length;
    const deadline = Date.now() + (config.drainMs || 10000);
    while (stats.events < expected && Date.now() < deadline) await sleep(20);
    const seconds = (now() - start) / 1000;
    lag.disable();
    const cpu = serverCpu() - cpuS0;
    const sorted = Float64Array.from(stats.latencies).sort();
    const perClient = sampled.length ? stats.events / sampled.length : 0;
    results.push({
      phase: name, sent, seconds: round(seconds, 2),
      loss: expected ? round(1 - stats.events / expected, 5) : null,
      events_per_s: Math.round((perClient * (ready + 1)) / seconds),
      sampled_deliveries: stats.events,
      frames_per_s: Math.round((frames() - frames0) / seconds),
      frames_per_client_s: round((frames() - frames0) / (ready + 1) / seconds, 1),
      p50_ms: round(percentile(sorted, 50)), p99_ms: round(percentile(sorted, 99)),
      max_ms: round(sorted.length ? sorted[sorted.length - 1] : null),
      p99_by_quarter_ms: stats.byQuarter.map((values) => round(percentile(
        Float64Array.from(values).sort(), 99))),
      loadgen_lag_p99_ms: round(lag.percentile(99) / 1e6),
      loadgen_lag_max_ms: round(lag.max / 1e6),
      server_cpu_s: round(cpu, 2), loadgen_cpu_s: round(loadCpu() - cpuL0, 2),
      server_cpu_us_per_delivery: sent ? round((cpu * 1e6) / (sent * (ready + 1)), 1) : null,
    });
  }

  for (const a of attendees) a.measured = 0;
  measuring = true;
  const mix = config.mix;
  await phase("mix", async () => {
    // Realistic mix: questions approved, votes (tallies), board posts, spread over each second.
    let sent = 0;
    const due = { questions: 0, votes: 0, posts: 0 };
    const tick = 10;
    const start = now();
    for (let elapsed = 0; elapsed < mix.seconds * 1000; elapsed += tick) {
      due.questions += (mix.questions * tick) / 1000;
      due.votes += (mix.votes * tick) / 1000;
      due.posts += (mix.posts * tick) / 1000;
      for (; due.questions >= 1; due.questions -= 1, sent += 1) emit("bench_question_approved", { question: question(sent) }, true);
      for (; due.votes >= 1; due.votes -= 1, sent += 1) emit("bench_vote_tally", { question: sent % 20, votes: sent }, false);
      for (; due.posts >= 1; due.posts -= 1, sent += 1) emit("bench_post_published", { post: { id: sent, text: "Saludos desde Lima 你好", author: "Asistente" } }, true);
      const wait = start + elapsed + tick - now();
      if (wait > 0) await sleep(wait);
    }
    return sent;
  });
  await sleep(500);
  await phase("burst", async () => {
    // Many logged events at once (a moderator approving a backlog).
    for (let i = 0; i < config.burst; i += 1) emit("bench_question_approved", { question: question(i) }, true);
    return config.burst;
  });
  // Counting attendees may trail the sample: give them time, then compare frame counts.
  let previous = -1;
  for (let i = 0; i < 50 && frames() !== previous; i += 1) { previous = frames(); await sleep(200); }
  measuring = false;
  clearInterval(pong);
  const reference = Math.max(0, ...sampled.map((a) => a.measured));
  const short = live().filter((a) => a instanceof CountingAttendee).filter((a) => a.measured < reference - 1).length;

  const out = {
    clients: config.clients.length,
    connected: ready,
    failed: attendees.length - ready,
    failure: (attendees.find((a) => a.failed) || {}).failed || null,
    failed_after_frames: attendees.filter((a) => a.failed).reduce((h, a) => { const k = a.frames ?? a.measured; h[k] = (h[k] || 0) + 1; return h; }, {}),
    dropped_after_connect: attendees.filter((a) => a.ready && a.failed).length,
    clients_missing_frames: short,
    sample: sampled.length,
    connect_s: round(connectSeconds, 2),
    rss_idle_per_conn_kb: pids.length && ready ? Math.round((rssIdle - rssBefore) / ready / 1024) : null,
    rss_idle_mb: Math.round(rssIdle / 1048576),
    phases: results,
  };
  process.stdout.write(JSON.stringify(out) + "\n");
  for (const a of attendees) a.close();
  driver.close();
  setTimeout(() => process.exit(0), 200);
}

main().catch((error) => { console.error(error); process.exit(1); });
