// node --test tests/js : every word the poll modules show is handed over by the templates
// (templates/polls/_strings.html, _console_strings.html); the modules compose none.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const JS = new URL("../../static/js/polls/", import.meta.url);
const TEMPLATES = new URL("../../templates/polls/", import.meta.url);
const given = new Set(["_strings.html", "_console_strings.html"].flatMap((name) =>
  [...readFileSync(new URL(name, TEMPLATES), "utf8").matchAll(/^\s*'(\w+)':/gm)].map((m) => m[1])));

test("each string key the poll modules read is in the templates", () => {
  const used = new Set();
  for (const name of readdirSync(JS)) {
    const text = readFileSync(new URL(name, JS), "utf8");
    for (const [, key] of text.matchAll(/strings\.(\w+)/g)) used.add(key);
    for (const [, key] of text.matchAll(/plural\(strings, "(\w+)"/g)) {
      used.add(`${key}_one`); used.add(`${key}_other`);
    }
    for (const [, key] of text.matchAll(/key: "(\w+)"/g)) used.add(key);
  }
  for (const prefix of ["status_draft", "status_open", "status_closed", "done_open", "done_close",
    "done_delete", "answer_pending", "answer_hidden", "move_up", "move_down"]) used.add(prefix);
  const missing = [...used].filter((key) => !given.has(key)).sort();
  assert.deepEqual(missing, []);
});
