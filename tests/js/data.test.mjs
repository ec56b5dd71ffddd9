// node --test tests/js : reading the page's data blocks and filling translated strings
// (static/js/live/data.js), the same for every page.
import assert from "node:assert/strict";
import { test } from "node:test";

import { format, newClientId, parseJSON, plural, readJSON } from "../../static/js/live/data.js";

const block = (name, text, { type = "application/json", tag = "script" } = {}) =>
  ({ localName: tag, type, dataset: { json: name }, textContent: text });

test("readJSON reads the named JSON block among the root's own children", () => {
  const root = { children: [
    { localName: "h2", dataset: {}, textContent: "Agenda clock" },
    block("state", '{"status": "live", "items": []}'),
    block("strings", '{"on_time": "A tiempo", "html": "\\u003c/script\\u003e"}'),
  ] };
  assert.deepEqual(readJSON(root, "strings"), { on_time: "A tiempo", html: "</script>" });
  assert.deepEqual(readJSON(root, "state", null), { status: "live", items: [] });
});

test("readJSON falls back when the block is missing, malformed, empty or not JSON", () => {
  const root = { children: [
    block("broken", "{not json"),
    block("empty", "  "),
    block("code", '{"a": 1}', { type: "module" }),
    block("styled", '{"a": 1}', { tag: "template" }),
  ] };
  for (const name of ["absent", "broken", "empty", "code", "styled"]) {
    assert.deepEqual(readJSON(root, name, { fallback: name }), { fallback: name }, name);
  }
  assert.deepEqual(readJSON(root, "absent"), {});
  assert.equal(readJSON(null, "strings", null), null);
  assert.equal(parseJSON(undefined, 3), 3);
  assert.deepEqual(parseJSON("[1, 2]", []), [1, 2]);
});

test("format fills gettext placeholders, %(name)s and %(name)d alike", () => {
  assert.equal(format("%(elapsed)s of %(planned)s min", { elapsed: 12, planned: 10 }),
    "12 of 10 min");
  assert.equal(format("%(num)d votes", { num: 0 }), "0 votes");
  assert.equal(format("Projected end: %(time)s", { time: "10:00 Lima" }), "Projected end: 10:00 Lima");
});

test("format leaves unknown names, other % signs and inherited names alone", () => {
  assert.equal(format("%(n)s of %(max)s", { n: 3 }), "3 of %(max)s");
  assert.equal(format("100% sure, %(n)s", { n: 1 }), "100% sure, 1");
  assert.equal(format("%(toString)s", {}), "%(toString)s");
  assert.equal(format("%(n)x", { n: 1 }), "%(n)x");
});

test("format fills in one pass: a value that looks like a placeholder stays as typed", () => {
  assert.equal(format("Hidden by a moderator: %(reason)s", { reason: "%(reason)s <b>x</b>" }),
    "Hidden by a moderator: %(reason)s <b>x</b>");
  assert.equal(format("%(a)s %(b)s", { a: "%(b)s", b: "B" }), "%(b)s B");
});

test("format of a missing string is empty, never 'undefined'", () => {
  assert.equal(format(undefined, { n: 1 }), "");
  assert.equal(format(null), "");
});

test("plural picks the _one form for exactly one and the _other form otherwise", () => {
  const strings = { votes_one: "%(num)d voto", votes_other: "%(num)d votos" };
  assert.equal(plural(strings, "votes", 1), "1 voto");
  assert.equal(plural(strings, "votes", 0), "0 votos");
  assert.equal(plural(strings, "votes", 2), "2 votos");
  assert.equal(plural({}, "votes", 2), "");
});

test("newClientId gives a fresh id each time", () => {
  const ids = new Set(Array.from({ length: 50 }, () => newClientId()));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, /^[0-9a-z-]{8,}$/);
});
