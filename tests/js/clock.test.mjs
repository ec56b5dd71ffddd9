// node --test tests/js : the browser's clock rules (static/js/live/clock-rules.js) run the same
// vectors as the server's (tests/agenda/test_clock_vectors.py), from one JSON file.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { computeClock } from "../../static/js/live/clock-rules.js";

const vectors = JSON.parse(readFileSync(new URL("../data/clock_vectors.json", import.meta.url)));

for (const vector of vectors) {
  test(`clock: ${vector.name}`, () => {
    const { expected } = vector;
    const state = { ...vector.meeting, current_item_id: expected.current_item_id,
      items: vector.items };
    const c = computeClock(state, Date.parse(vector.now));
    assert.deepEqual({
      current_item_id: c.current ? c.current.id : null,
      projected_end: new Date(c.projected).toISOString().replace(".000Z", "Z"),
      overrun_minutes: c.overrun,
      elapsed_minutes: c.elapsed,
      item_overrun_minutes: c.itemOver,
      qa_minutes_left: c.qaLeft,
      past_latest_end: c.pastLatest,
    }, expected);
  });
}

test("the clock's speakers line names roles only when someone has one", async () => {
  const { speakersLine } = await import("../../static/js/clock.js");
  const roles = { moderator: "Moderator", panellist: "Panellist", speaker: "Speaker" };
  assert.equal(speakersLine([{ name: "Rosa", role: "moderator" },
    { name: "Guo Yi", role: "panellist" }], roles), "Rosa (Moderator), Guo Yi (Panellist)");
  assert.equal(speakersLine([{ name: "Merino", role: "speaker" }], roles), "Merino");
  assert.equal(speakersLine(undefined, roles), "");
});
