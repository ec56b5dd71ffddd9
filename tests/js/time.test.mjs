// node --test tests/js : times in the meeting's zones and the viewer's (static/js/live/time.js),
// checked against the server's own text for the same instant, zones and locale
// (tests/data/time_vectors.json, written and checked by tests/core/test_timefmt.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { formatPattern, wallClock, zoneLine, zoneReadings } from "../../static/js/live/time.js";

const VECTORS = JSON.parse(readFileSync(new URL("../data/time_vectors.json", import.meta.url),
  "utf8"));

test("there are vectors in every locale, with partner zones and a viewer", () => {
  assert.deepEqual(new Set(VECTORS.map((v) => v.locale)), new Set(["en", "es", "zh_Hans"]));
  assert.ok(VECTORS.some((v) => v.zones.length > 2 && v.viewer));
  assert.ok(VECTORS.some((v) => v.text.includes("上海") && v.text.includes("利马")));
});

for (const v of VECTORS) {
  test(`${v.locale} ${v.iso} ${v.zones.join("+")} viewer ${v.viewer}: as the server writes it`,
    () => { assert.equal(zoneLine(v.iso, v.times), v.text); });
}

test("the pattern decides 12 or 24 hours and the padding", () => {
  const evening = { day: 0, hour: 21, minute: 5 };
  const morning = { day: 0, hour: 0, minute: 7 };
  const en = { pattern: "h:mm\u202fa", am: "AM", pm: "PM" };
  assert.equal(formatPattern(evening, en), "9:05\u202fPM");
  assert.equal(formatPattern(morning, en), "12:07\u202fAM");
  assert.equal(formatPattern(morning, { pattern: "HH:mm" }), "00:07");
  assert.equal(formatPattern(morning, { pattern: "H:mm" }), "0:07");
  assert.equal(formatPattern(evening, { pattern: "HH'h'mm" }), "21h05");
});

test("a viewer reading the same clock as a meeting zone is not repeated", () => {
  const times = { pattern: "HH:mm", am: "", pm: "", separator: " · ", day_after: "+1",
    day_before: "-1", zones: [{ zone: "America/Lima", label: "Lima" }],
    viewer: { zone: "America/Bogota", label: "Bogotá" } };
  assert.equal(zoneReadings("2026-03-10T15:30:00Z", times).length, 1);
  assert.deepEqual(wallClock(new Date("2026-03-10T15:30:00Z"), "America/Lima"),
    { day: 20522, hour: 10, minute: 30 });
});
