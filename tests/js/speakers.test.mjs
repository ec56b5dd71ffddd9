// The presenter's "speaking now": the running item's speakers and their photos' alt text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { currentSpeakers, speakerAlt } from "../../static/js/live/speakers.js";

const agenda = [
  { id: 1, title: "Opening", speakers: [
    { id: 7, name: "Rosa Quispe", title: { zh_Hans: "主席", es: "Presidenta" }, photo: "/media/a-card.webp" },
    { id: 8, name: "Ana", title: "", photo: null },
  ] },
  { id: 2, title: "Break", speakers: [] },
];

test("the alt text is the name and the title in the page's language", () => {
  assert.equal(speakerAlt(agenda[0].speakers[0], "es"), "Rosa Quispe, Presidenta");
  assert.equal(speakerAlt(agenda[0].speakers[0], "en"), "Rosa Quispe, 主席");
  assert.equal(speakerAlt(agenda[0].speakers[1], "es"), "Ana");
});

test("the speakers of the running item, none between items", () => {
  assert.deepEqual(currentSpeakers(agenda, 1).map((s) => s.id), [7, 8]);
  assert.deepEqual(currentSpeakers(agenda, 2), []);
  assert.deepEqual(currentSpeakers(agenda, null), []);
  assert.deepEqual(currentSpeakers(agenda, 99), []);
});
