// node --test tests/js : which questions the console's "Merge into…" offers, and its filter.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  filterMergeTargets, foldForSearch, mergeTargets, stepIndex,
} from "../../static/js/qa/merge.js";

const QUESTIONS = [
  { id: 3, status: "live", text: "¿Cómo se financian los centros de salud?", author: { name: "Lucía Quispe" } },
  { id: 12, status: "pending", text: "社区卫生服务中心如何筹资？", author: { name: "王芳" } },
  { id: 14, status: "answered", text: "How are the clinics paid for?", author: null },
  { id: 21, status: "dismissed", text: "Off topic", author: { name: "Ana" } },
  { id: 22, status: "archived", text: "Old one", author: { name: "Ana" } },
  { id: 23, status: "dismissed", text: "Merged one", merged_into_id: 3, author: { name: "Ana" } },
  { id: 120, status: "live", text: "Question about 12 districts", author: { name: "Carlos" } },
];

const ids = (questions) => questions.map((q) => q.id);

test("targets: every other open question, whatever its language, not merged ones", () => {
  const source = QUESTIONS[0];
  assert.deepEqual(ids(mergeTargets(QUESTIONS, source)), [12, 14, 120]);
  // A dismissed or archived question may itself be merged, into the open ones.
  assert.deepEqual(ids(mergeTargets(QUESTIONS, QUESTIONS[3])), [3, 12, 14, 120]);
});

test("an empty query lists every target in the given order", () => {
  const targets = mergeTargets(QUESTIONS, QUESTIONS[3]);
  assert.deepEqual(ids(filterMergeTargets(targets, "")), [3, 12, 14, 120]);
  assert.deepEqual(ids(filterMergeTargets(targets, "   ")), [3, 12, 14, 120]);
});

test("the filter finds text in any script, without accents or case", () => {
  const targets = mergeTargets(QUESTIONS, QUESTIONS[3]);
  assert.deepEqual(ids(filterMergeTargets(targets, "CÓMO")), [3]);
  assert.deepEqual(ids(filterMergeTargets(targets, "como financian")), [3]);
  assert.deepEqual(ids(filterMergeTargets(targets, "筹资")), [12]);
  assert.deepEqual(ids(filterMergeTargets(targets, "clinics salud")), []);
});

test("the filter finds the asker's name", () => {
  const targets = mergeTargets(QUESTIONS, QUESTIONS[3]);
  assert.deepEqual(ids(filterMergeTargets(targets, "lucia")), [3]);
  assert.deepEqual(ids(filterMergeTargets(targets, "王")), [12]);
  assert.deepEqual(ids(filterMergeTargets(targets, "quispe salud")), [3]);
});

test("a number finds the question with that number first, #n by number only", () => {
  const targets = mergeTargets(QUESTIONS, QUESTIONS[3]);
  // "12" is question 12 and a word of question 120's text: the question itself comes first.
  assert.deepEqual(ids(filterMergeTargets(targets, "12")), [12, 120]);
  assert.deepEqual(ids(filterMergeTargets(targets, "#12")), [12, 120]);
  assert.deepEqual(ids(filterMergeTargets(targets, "#120")), [120]);
  assert.deepEqual(ids(filterMergeTargets(targets, "#3")), [3]);
  assert.deepEqual(ids(filterMergeTargets(targets, "#99")), []);
});

test("folding keeps other scripts and drops accents", () => {
  assert.equal(foldForSearch("Qué PASÓ ñandú"), "que paso nandu");
  assert.equal(foldForSearch("社区"), "社区");
  assert.equal(foldForSearch(null), "");
});

test("arrow keys move through the options and wrap round", () => {
  assert.equal(stepIndex(-1, 1, 3), 0);
  assert.equal(stepIndex(-1, -1, 3), 2);
  assert.equal(stepIndex(2, 1, 3), 0);
  assert.equal(stepIndex(0, -1, 3), 2);
  assert.equal(stepIndex(1, 1, 3), 2);
  assert.equal(stepIndex(0, 1, 0), -1);
});
