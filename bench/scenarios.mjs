// Scenario driver for the vote and poll storms, the long board and the HTTP benchmarks.
// Usage: node bench/scenarios.mjs <config.json>; prints one JSON result line on stdout.
//   {scenario: "votes", url, clients: [{cookie, auth}], question, seconds}
//   {scenario: "polls", url, clients: [{cookie, auth}], poll, options, seconds, check}
//   {scenario: "board", url, clients: [{cookie, auth}]}
//   {scenario: "register", url, slug, forms: [{cookie, csrf_token}]}
//   {scenario: "pages", urls: {name: url | {url, cookie}}, seconds, concurrency}
import { readFileSync } from "node:fs";
import http from "node:http";
import WebSocket from "ws";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value, digits = 1) => (value === null || value === undefined || Number.isNaN(value) ? null : Number(value.toFixed(digits)));
const loadCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

function percentile(values, p) {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A Socket.IO client over `ws` that parses everything (for a few thousand clients at most). */
class Client {
  constructor(url, spec) {
    this.spec = spec;
    this.acks = new Map();
    this.nextAck = 1;
    this.listeners = new Map();
    this.frames = 0;
    this.ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, {
      headers: spec.cookie ? { Cookie: spec.cookie } : {},
      perMessageDeflate: { threshold: 0 },
    });
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.ws.on("error", reject);
    });
    this.ws.on("message", (raw) => this.receive(raw.toString()));
  }

  on(type, handler) { this.listeners.set(type, handler); }

  receive(text) {
    this.frames += 1;
    if (text === "2") { this.ws.send("3"); return; }
    if (text[0] === "0") { this.ws.send("40" + JSON.stringify(this.spec.auth || {})); return; }
    if (text.startsWith("40")) { this.resolveReady(); return; }
    if (text.startsWith("43")) {
      const start = text.indexOf("[");
      const id = Number(text.slice(2, start));
      const callback = this.acks.get(id);
      this.acks.delete(id);
      if (callback) callback(JSON.parse(text.slice(start))[0]);
      return;
    }
    if (!text.startsWith("42")) return;
    const [type, data] = JSON.parse(text.slice(2));
    const items = type === "batch" ? data : [[type, data]];
    for (const [name, payload] of items) {
      const handler = this.listeners.get(name);
      if (handler) handler(payload);
    }
  }

  call(command, payload) {
    const id = this.nextAck++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.ws.send(`42${id}` + JSON.stringify([command, payload]));
    });
  }

  close() { this.ws.terminate(); }
}

async function connectAll(url, specs) {
  const clients = [];
  for (let i = 0; i < specs.length; i += 50) {
    const batch = specs.slice(i, i + 50).map((spec) => new Client(url, spec));
    await Promise.all(batch.map(async (client) => {
      await client.ready;
      await client.call("join", { last_seq: null });
    }));
    clients.push(...batch);
  }
  return clients;
}

/**
 * A storm: every client sends one command, the sends spread evenly over `config.seconds`,
 * while each client records when the figure it is shown (`watch` of an `event`) last
 * changed. `target` gives the figure every client should end with, after 3 s of quiet.
 */
async function storm({ event, watch, command, target }) {
  const clients = await connectAll(config.url, config.clients);
  const state = clients.map(() => ({ value: null, at: null, events: 0 }));
  clients.forEach((client, i) => client.on(event, (payload) => {
    const value = watch(payload, state[i]);
    if (value === undefined) return;
    state[i].events += 1;
    if (value !== state[i].value) { state[i].value = value; state[i].at = now(); }
  }));
  for (const client of clients) client.frames = 0;
  const spread = (config.seconds * 1000) / clients.length;
  const start = now();
  const cpu0 = loadCpu();
  let lastAck = 0;
  const acks = await Promise.all(clients.map(async (client, i) => {
    await sleep(i * spread);
    const ack = await client.call(...command(i));
    lastAck = Math.max(lastAck, now());
    return ack;
  }));
  await sleep(3000);
  const stormSeconds = (lastAck - start) / 1000;
  const final = await target(state);
  const delays = state.filter((s) => s.value === final).map((s) => Math.max(0, s.at - lastAck));
  const frameRates = clients.map((client) => client.frames / (stormSeconds + 3));
  const out = {
    acked_ok: acks.filter((ack) => ack && ack.ok).length,
    errors: [...new Set(acks.filter((ack) => !ack || !ack.ok).map((ack) => JSON.stringify(ack && ack.error)))].slice(0, 3),
    storm_s: round(stormSeconds, 2),
    clients_with_final: delays.length,
    converge_p50_ms: round(percentile(delays, 50)),
    converge_p99_ms: round(percentile(delays, 99)),
    converge_max_ms: round(delays.length ? Math.max(...delays) : null),
    events_per_client_s: round(state.reduce((a, s) => a + s.events, 0) / clients.length / (stormSeconds + 3), 2),
    frames_per_client_s_mean: round(frameRates.reduce((a, b) => a + b, 0) / frameRates.length, 2),
    frames_per_client_s_max: round(Math.max(...frameRates), 2),
    loadgen_cpu_s: round(loadCpu() - cpu0, 2),
  };
  clients.forEach((client) => client.close());
  return { out, state, final };
}

async function votes() {
  const key = String(config.question);
  const { out, final } = await storm({
    event: "vote_tally_changed",
    watch: ({ tallies }) => tallies[key],
    command: () => ["vote", { question_id: config.question, voted: true }],
    target: async (state) => Math.max(...state.map((s) => s.value ?? 0)),
  });
  const { events_per_client_s: tallies, ...rest } = out;
  return { voters: config.clients.length, final_tally_seen: final, ...rest,
           tally_events_per_client_s: tallies };
}

async function polls() {
  // Each client keeps the results of the highest `rev` (docs/protocol.md) and converges
  // when its total equals the answers the database stores (fetched from `config.check`).
  const key = String(config.poll);
  let database = null;
  const { out, state, final } = await storm({
    event: "poll_results_changed",
    watch: ({ results, revs }, s) => {
      const rev = revs[key];
      if (results[key] === undefined || (s.rev !== undefined && rev < s.rev)) return undefined;
      s.rev = rev;
      s.counts = results[key].counts;
      return results[key].total;
    },
    command: (i) => ["answer_poll", { poll_id: config.poll, client_id: `storm-${i}`,
                                      value: { choice: i % config.options } }],
    target: async () => {
      database = await (await fetch(config.check)).json();
      return database.stored;
    },
  });
  const counts = JSON.stringify(database.results.counts);
  const totals = state.map((s) => s.value ?? 0);
  return { answerers: config.clients.length, ...out,
           result_total_min: Math.min(...totals), result_total_max: Math.max(...totals),
           clients_equal_db: state.filter((s) => s.value === final
                                          && JSON.stringify(s.counts) === counts).length,
           db: database };
}

async function joins() {
  // Admission: connect and join (snapshot) as fast as the server lets, `concurrency` at a time.
  const times = [];
  const start = now();
  const cpu0 = loadCpu();
  let next = 0;
  const clients = [];
  await Promise.all(Array.from({ length: config.concurrency }, async () => {
    while (next < config.clients.length) {
      const spec = config.clients[next++];
      const began = now();
      const client = new Client(config.url, spec);
      clients.push(client);
      await client.ready;
      const ack = await client.call("join", { last_seq: null });
      if (ack && ack.ok) times.push(now() - began);
    }
  }));
  const seconds = (now() - start) / 1000;
  clients.forEach((client) => client.close());
  return { clients: config.clients.length, joined: times.length, seconds: round(seconds, 2),
           joins_per_s: round(times.length / seconds, 1), p50_ms: round(percentile(times, 50)),
           p99_ms: round(percentile(times, 99)), loadgen_cpu_s: round(loadCpu() - cpu0, 2) };
}

async function board() {
  const [client] = await connectAll(config.url, config.clients);
  const snapshot = await client.call("join", { last_seq: null });
  let before = snapshot.snapshot.board.before;
  let more = snapshot.snapshot.board.more;
  let seen = snapshot.snapshot.board.posts.length;
  const times = [];
  while (more) {
    const start = now();
    const ack = await client.call("load_posts", { before });
    times.push(now() - start);
    if (!ack.ok) return { error: ack.error };
    seen += ack.posts.length;
    before = ack.before;
    more = ack.more;
  }
  client.close();
  return { pages: times.length, posts_seen: seen, p50_ms: round(percentile(times, 50), 2),
           p99_ms: round(percentile(times, 99), 2), max_ms: round(Math.max(...times), 2),
           total_s: round(times.reduce((a, b) => a + b, 0) / 1000, 2) };
}

function request(url, { method = "GET", body, headers = {}, agent } = {}) {
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      let size = 0;
      res.on("data", (chunk) => { size += chunk.length; });
      res.on("end", () => resolve({ status: res.statusCode, size }));
    });
    req.on("error", () => resolve({ status: 0, size: 0 }));
    if (body) req.write(body);
    req.end();
  });
}

async function register() {
  const url = `${config.url}/m/${config.slug}/register`;
  const start = now();
  const results = await Promise.all(config.forms.map((form, i) => {
    const body = new URLSearchParams({
      csrf_token: form.csrf_token, name: `Asistente ${i} 参会者`, email: `race${i}@example.org`,
      organisation: "ONG Lima", organisation_type: "ngo", position: "", country: "PE",
      language: "es", consent: "y",
    }).toString();
    return request(url, { method: "POST", body, headers: {
      Cookie: form.cookie, "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": Buffer.byteLength(body), Origin: config.url, Referer: url } });
  }));
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] || 0) + 1;
  return { requests: results.length, seconds: round((now() - start) / 1000, 2), statuses };
}

async function pages() {
  const out = {};
  for (const [name, target] of Object.entries(config.urls)) {
    const { url, cookie } = typeof target === "string" ? { url: target } : target;
    const headers = cookie ? { Cookie: cookie } : {};
    const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
    const deadline = now() + config.seconds * 1000;
    let count = 0;
    let bytes = 0;
    let bad = 0;
    const times = [];
    const cpu0 = loadCpu();
    await Promise.all(Array.from({ length: config.concurrency }, async () => {
      while (now() < deadline) {
        const start = now();
        const r = await request(url, { agent, headers });
        times.push(now() - start);
        if (r.status === 200) { count += 1; bytes = r.size; } else bad += 1;
      }
    }));
    agent.destroy();
    out[name] = { requests_per_s: round(count / config.seconds, 1), errors: bad, page_bytes: bytes,
                  p50_ms: round(percentile(times, 50)), p99_ms: round(percentile(times, 99)),
                  loadgen_cpu_s: round(loadCpu() - cpu0, 2) };
  }
  return out;
}

const scenarios = { votes, polls, joins, board, register, pages };
scenarios[config.scenario]()
  .then((result) => { process.stdout.write(JSON.stringify(result) + "\n"); process.exit(0); })
  .catch((error) => { console.error(error); process.exit(1); });
