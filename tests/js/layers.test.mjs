// node --test tests/js : the browser modules point one way, and each helper exists once.
//
//   live/*            the page-independent layer: connection, order, data, dom, time, kept, tabs,
//                     confirm-dialog
//   panels            board.js, clock.js, clock-controls.js, qa/common.js, qa/merge.js (use live/*)
//   polls/*           the polls panel: model.js (no DOM), results.js, one view per role, panel.js
//                     (uses live/* and each other; only live-page.js attaches it)
//   live-page.js      the one way to go live: builds the connection, attaches the panels
//   pages             qa-*.js, clock-page.js, base.js, registration.js (entry points)
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const JS = fileURLToPath(new URL("../../static/js/", import.meta.url));
// Relative to static/js/, so the client is loaded under the page's versioned prefix.
const VENDOR = "../vendor/socket.io.esm.min.js";

function modules(dir = JS) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory()
    ? modules(join(dir, entry.name)) : entry.name.endsWith(".js") ? [join(dir, entry.name)] : []));
}

const sources = new Map(modules().map((path) => [relative(JS, path), readFileSync(path, "utf8")]));

function imports(name) {
  const found = [];
  for (const [, target] of sources.get(name).matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gms)) {
    found.push(target.startsWith("/") ? target
      : relative(JS, join(JS, name, "..", target)).replaceAll("\\", "/"));
  }
  return found;
}

function layer(name) {
  if (name.startsWith("live/")) return "live";
  if (["board.js", "clock.js", "clock-controls.js", "qa/common.js", "qa/merge.js"].includes(name)) {
    return "panel";
  }
  if (name.startsWith("polls/")) return "polls";
  if (name === "live-page.js") return "live-page";
  return "page";
}

const ALLOWED = {
  live: ["live"],
  panel: ["live", "clock.js", "qa/common.js"],   // clock-controls.js shows clock.js's warning;
                                                 // qa/merge.js writes qa/common.js's lang tags
  polls: ["live", "polls"],
  "live-page": ["live", "panel", "polls/panel.js", VENDOR],
  page: ["live", "live-page", "qa/common.js", "qa/merge.js"],
};

test("imports point one way: live/ ← panels, polls/ ← live-page.js ← pages", () => {
  const wrong = [];
  for (const name of sources.keys()) {
    for (const target of imports(name)) {
      const allowed = ALLOWED[layer(name)];
      const ok = allowed.includes(target) || (sources.has(target) && allowed.includes(layer(target)));
      if (!ok || target === name) wrong.push(`${name} → ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("only live-page.js loads the Socket.IO client and builds a connection", () => {
  const users = [...sources].filter(([, text]) => text.includes(VENDOR) ||
    /new LiveConnection\(/.test(text)).map(([name]) => name);
  assert.deepEqual(users, ["live-page.js"]);
});

test("each helper is defined once: no module re-declares a function another exports", () => {
  const exporters = new Map();
  for (const [name, text] of sources) {
    for (const [, fn] of text.matchAll(/^export function (\w+)/gm)) {
      exporters.set(fn, [...(exporters.get(fn) || []), name]);
    }
  }
  const twice = [...exporters].filter(([, names]) => names.length > 1);
  assert.deepEqual(twice, []);
  const copies = [];
  for (const [name, text] of sources) {
    for (const [, fn] of text.matchAll(/^ *function (\w+)\(/gm)) {
      if (exporters.has(fn) && !exporters.get(fn).includes(name)) copies.push(`${name}: ${fn}`);
    }
  }
  assert.deepEqual(copies, []);
});
