// node --test tests/js : the agenda item's speaker search.
import assert from "node:assert/strict";
import { test } from "node:test";

import { filterSpeakers } from "../../static/js/speaker-picker.js";

const speakers = [
  { id: 1, name: "Guo Yi", affiliation: "Nanfang Hospital", title: "Head of the expert group" },
  { id: 2, name: "Liu Laiyu", affiliation: "Nanfang Hospital", title: "" },
  { id: 3, name: "Víctor Zamora", affiliation: "Ministerio de Salud", title: "" },
  { id: 4, name: "陈晓北", affiliation: "武汉大学人民医院", title: "" },
];

test("every typed word is found in the name, affiliation or title, accents folded", () => {
  assert.deepEqual(filterSpeakers(speakers, "nanfang").map((s) => s.id), [1, 2]);
  assert.deepEqual(filterSpeakers(speakers, "victor salud").map((s) => s.id), [3]);
  assert.deepEqual(filterSpeakers(speakers, "expert").map((s) => s.id), [1]);
  assert.deepEqual(filterSpeakers(speakers, "武汉").map((s) => s.id), [4]);
  assert.deepEqual(filterSpeakers(speakers, "").map((s) => s.id), [1, 2, 3, 4]);
});

test("speakers already on the item are not offered again", () => {
  assert.deepEqual(filterSpeakers(speakers, "nanfang", new Set([1])).map((s) => s.id), [2]);
});
