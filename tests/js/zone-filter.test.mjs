// node --test tests/js : the time-zone search (static/js/live/zone-filter.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { foldZoneText, zoneMatches } from "../../static/js/live/zone-filter.js";

test("accents, case and underscores do not matter", () => {
  assert.equal(foldZoneText("São_Paulo"), "sao paulo");
  assert.ok(zoneMatches("sao paulo", "UTC-03:00 · São Paulo (Brasil)", "America/Sao_Paulo"));
  assert.ok(zoneMatches("PERU lima", "UTC-05:00 · Lima (Perú) · America/Lima"));
});

test("labels in any script and offsets are searched; every word must match", () => {
  const shanghai = "UTC+08:00 · 上海 (中国) · Asia/Shanghai";
  assert.ok(zoneMatches("上海", shanghai));
  assert.ok(zoneMatches("utc+08", shanghai));
  assert.ok(zoneMatches("shanghai", "UTC+08:00 · 上海 (中国)", "Asia/Shanghai"));
  assert.ok(!zoneMatches("shanghai lima", shanghai));
  assert.ok(zoneMatches("   ", shanghai));
});
