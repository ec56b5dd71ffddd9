// node --test tests/js : the meeting's clock beside the viewer's (static/js/live/time.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { dualClock, dualText, placeName } from "../../static/js/live/time.js";

const hhmm = (iso, timeZone) => new Intl.DateTimeFormat(undefined,
  { hour: "2-digit", minute: "2-digit", timeZone }).format(new Date(iso));
const strings = { day_after: "+1 día", day_before: "-1 día" };

test("a zone is named by its place", () => {
  assert.equal(placeName("America/Lima"), "Lima");
  assert.equal(placeName("America/Argentina/Buenos_Aires"), "Buenos Aires");
  assert.equal(placeName("UTC"), "UTC");
});

test("the viewer's clock is left out when it reads the same as the meeting's", () => {
  const iso = "2026-03-10T15:30:00Z";
  assert.deepEqual(dualClock(iso, "America/Lima", "America/Lima"),
    { meeting: hhmm(iso, "America/Lima"), viewer: null, dayShift: 0 });
  // Bogotá keeps Lima's time: same reading, so still one clock.
  assert.equal(dualClock(iso, "America/Lima", "America/Bogota").viewer, null);
  assert.equal(dualText(iso, "America/Lima", strings, "America/Bogota"),
    `${hhmm(iso, "America/Lima")} Lima`);
});

test("a viewer a day ahead or behind sees the shift named", () => {
  const iso = "2026-03-10T20:00:00Z";  // 15:00 in Lima, 04:00 next day in Shanghai
  assert.deepEqual(dualClock(iso, "America/Lima", "Asia/Shanghai"),
    { meeting: hhmm(iso, "America/Lima"), viewer: hhmm(iso, "Asia/Shanghai"), dayShift: 1 });
  assert.equal(dualText(iso, "America/Lima", strings, "Asia/Shanghai"),
    `${hhmm(iso, "America/Lima")} Lima · ${hhmm(iso, "Asia/Shanghai")} Shanghai (+1 día)`);
  assert.equal(dualText(iso, "Asia/Shanghai", strings, "America/Lima"),
    `${hhmm(iso, "Asia/Shanghai")} Shanghai · ${hhmm(iso, "America/Lima")} Lima (-1 día)`);
  assert.equal(dualText(iso, "Asia/Shanghai", {}, "America/Lima").endsWith("Lima (-1)"), true);
});

test("the same day in another zone shows both clocks without a shift", () => {
  const iso = "2026-03-10T15:30:00Z";
  const text = dualText(iso, "America/Lima", strings, "Europe/Madrid");
  assert.equal(text, `${hhmm(iso, "America/Lima")} Lima · ${hhmm(iso, "Europe/Madrid")} Madrid`);
});
