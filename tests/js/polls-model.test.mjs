// node --test tests/js : the polls' state and drawing rules (static/js/polls/model.js), fed
// with fixtures shaped as the wire of docs/protocol.md "Polls".
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  answerFromForm, averageText, choicesFull, cloudSizes, initialOrder, PollStore, pollActions,
  pollPayload, rankingMove, ratingLevels, resultBars, resultsVisible, textByLanguage,
  validateAnswer, wireText,
} from "../../static/js/polls/model.js";

const fixtures = JSON.parse(readFileSync(new URL("./fixtures/polls.json", import.meta.url), "utf8"));
const fresh = () => structuredClone(fixtures);

function loaded() {
  const store = new PollStore();
  store.reset(fresh().snapshot);
  return store;
}

test("a snapshot replaces polls, results with their revs, and my answers", () => {
  const store = loaded();
  store.applyAnswer(9, { value: { choice: 1 } });
  store.reset(fresh().snapshot);
  assert.deepEqual([...store.polls.keys()].sort(), [1, 2, 3]);
  assert.equal(store.results.get(1).total, 4);
  assert.equal(store.revs.get(1), 5);
  assert.deepEqual(store.myAnswers.get(1), { choice: 0 });
  assert.equal(store.myAnswers.has(9), false);
  store.reset({});
  assert.equal(store.polls.size, 0);
});

test("polls are listed in the organisers' order, filtered by status", () => {
  const store = loaded();
  assert.deepEqual(store.list().map((poll) => poll.id), [2, 1, 3]);
  assert.deepEqual(store.list(["open"]).map((poll) => poll.id), [2, 1]);
});

test("results keep the highest rev per poll; an older one changes nothing", () => {
  const store = loaded();
  const counts = (n) => ({ kind: "single", total: n, counts: [n, 0, 0] });
  assert.deepEqual(store.applyResults({ results: { 1: counts(9) }, revs: { 1: 7 } }), [1]);
  assert.deepEqual(store.applyResults({ results: { 1: counts(6) }, revs: { 1: 6 } }), []);
  assert.equal(store.results.get(1).total, 9);
  // several polls in one coalesced event, each judged on its own
  const changed = store.applyResults({ results: { 1: counts(10), 2: counts(1) }, revs: { 1: 7, 2: 1 } });
  assert.deepEqual(changed, [1, 2]);
  assert.equal(store.results.get(1).total, 10);
});

test("a poll change applies unless it is older than the copy held (an ack after the broadcast)", () => {
  const store = loaded();
  const poll = { ...store.polls.get(1), status: "closed", version: 4 };
  assert.equal(store.applyPoll(poll), true);
  assert.equal(store.applyPoll({ ...poll, status: "open", version: 3 }), false);
  assert.equal(store.polls.get(1).status, "closed");
  assert.equal(store.applyPoll({ id: 5, kind: "single", status: "draft", version: 1 }), true);
  assert.equal(store.polls.has(5), true);
});

test("a removed poll takes its results, rev and my answer with it", () => {
  const store = loaded();
  assert.equal(store.remove(1), true);
  assert.equal(store.results.has(1) || store.revs.has(1) || store.myAnswers.has(1), false);
  assert.equal(store.remove("1"), false);
});

test("moderating an open answer updates the listed answer", () => {
  const store = loaded();
  store.applyResults({ results: { 4: fresh().open_text } });
  assert.equal(store.applyModeration({ poll_id: 4, answer_id: 12, shown: false }), true);
  assert.equal(store.results.get(4).answers[1].status, "hidden");
  assert.equal(store.applyModeration({ poll_id: 4, answer_id: 99, shown: true }), false);
});

test("attendees see results as the organisers chose; staff always", () => {
  const poll = (results, status) => ({ results, status });
  assert.equal(resultsVisible(poll("live", "open")), true);
  assert.equal(resultsVisible(poll("closed", "open")), false);
  assert.equal(resultsVisible(poll("closed", "closed")), true);
  assert.equal(resultsVisible(poll("never", "closed")), false);
  assert.equal(resultsVisible(poll("never", "closed"), true), true);
});

test("choice bars: count and share of answers per option, in the organisers' order", () => {
  const { snapshot } = fresh();
  const bars = resultBars(snapshot.results["1"], snapshot.polls[0].options);
  assert.deepEqual(bars.map(({ index, count, percent }) => [index, count, percent]),
    [[0, 3, 75], [1, 1, 25], [2, 0, 0]]);
  assert.deepEqual(bars[1].option, "Quito");
  assert.deepEqual(resultBars({ kind: "multiple", total: 0, counts: [] }, ["a", "b"])
    .map((bar) => bar.percent), [0, 0]);
  assert.deepEqual(resultBars(null, ["a"]), []);
});

test("ranking bars: points best first, ties in the organisers' order", () => {
  const bars = resultBars(fresh().ranking, ["A", "B", "C"]);
  assert.deepEqual(bars.map(({ index, count, percent }) => [index, count, percent]),
    [[1, 6, 67], [0, 2, 22], [2, 1, 11]]);
  assert.deepEqual(resultBars({ kind: "ranking", scores: [1, 1] }, ["A", "B"]).map((b) => b.index), [0, 1]);
});

test("word cloud sizes grow with the count, the same every time", () => {
  const sizes = cloudSizes(fresh().word_cloud.words);
  assert.deepEqual(sizes.map((word) => [word.text, word.size]), [["paz", 3], ["agua", 1.67], ["和平", 1]]);
  assert.deepEqual(cloudSizes(fresh().word_cloud.words), sizes);
  assert.deepEqual(cloudSizes([{ text: "uno", count: 2 }, { text: "dos", count: 2 }]).map((w) => w.size),
    [3, 3]);
  assert.deepEqual(cloudSizes([]), []);
});

test("a rating's levels cover the whole scale; the average has one decimal", () => {
  const levels = ratingLevels(fresh().snapshot.results["3"], "scale10");
  assert.equal(levels.length, 11);
  assert.deepEqual(levels.filter((level) => level.count).map((level) => [level.value, level.percent]),
    [[7, 50], [8, 50]]);
  assert.deepEqual(ratingLevels(null, "stars5").map((level) => level.value), [1, 2, 3, 4, 5]);
  assert.equal(averageText(7.5, "en"), "7.5");
  assert.equal(averageText(4, "es"), "4,0");
  assert.equal(averageText(null, "en"), null);
});

test("a ranking entry moves one place at a time and never out of the list", () => {
  assert.deepEqual(rankingMove([0, 1, 2], 2, -1), [0, 2, 1]);
  assert.deepEqual(rankingMove([0, 1, 2], 0, -1), [0, 1, 2]);
  assert.deepEqual(rankingMove([0, 1, 2], 2, 1), [0, 1, 2]);
  assert.deepEqual(rankingMove([0, 1, 2], 0, 1), [1, 0, 2]);
  assert.deepEqual(initialOrder({ options: ["a", "b", "c"] }, { order: [2, 0, 1] }), [2, 0, 1]);
  assert.deepEqual(initialOrder({ options: ["a", "b", "c"] }, { order: [2, 2, 1] }), [0, 1, 2]);
  assert.deepEqual(initialOrder({ options: ["a", "b"] }, undefined), [0, 1]);
});

test("the form becomes the wire value of each kind", () => {
  assert.deepEqual(answerFromForm("single", { choice: "2" }), { choice: 2 });
  assert.deepEqual(answerFromForm("single", {}), { choice: null });
  assert.deepEqual(answerFromForm("multiple", { choices: ["3", "1", "3"] }), { choices: [1, 3] });
  assert.deepEqual(answerFromForm("rating", { rating: "0" }), { rating: 0 });
  assert.deepEqual(answerFromForm("word_cloud", { words: [" paz ", "", "和平", "x", "y"] }),
    { words: ["paz", "和平", "x"] });
  assert.deepEqual(answerFromForm("open_text", { text: "  hola \n" }), { text: "hola" });
  assert.deepEqual(answerFromForm("ranking", { order: [1, 0] }), { order: [1, 0] });
});

test("answers are checked as the server checks them", () => {
  const [single, multiple] = fresh().snapshot.polls;
  assert.equal(validateAnswer(single, { choice: 2 }), null);
  assert.equal(validateAnswer(single, { choice: 3 }).key, "error_choose_one");
  assert.equal(validateAnswer(single, { choice: null }).key, "error_choose_one");
  assert.equal(validateAnswer(multiple, { choices: [0, 3] }), null);
  assert.deepEqual(validateAnswer(multiple, { choices: [0, 1, 2] }), { key: "error_too_many", params: { num: 2 } });
  assert.equal(validateAnswer(multiple, { choices: [] }).key, "error_choose_some");
  assert.equal(choicesFull(multiple, 2), true);
  assert.equal(choicesFull(multiple, 1), false);
  const stars = { kind: "rating", scale: "stars5" };
  assert.equal(validateAnswer(stars, { rating: 5 }), null);
  assert.equal(validateAnswer(stars, { rating: 0 }).key, "error_choose_rating");
  assert.equal(validateAnswer({ kind: "rating", scale: "scale10" }, { rating: 0 }), null);
  const cloud = { kind: "word_cloud" };
  assert.equal(validateAnswer(cloud, { words: ["和平"] }), null);
  assert.equal(validateAnswer(cloud, { words: [] }).key, "error_word_needed");
  assert.equal(validateAnswer(cloud, { words: ["x".repeat(41)] }).key, "error_word_long");
  assert.equal(validateAnswer(cloud, { words: ["😀".repeat(40)] }), null);  // code points, not units
  const open = { kind: "open_text" };
  assert.equal(validateAnswer(open, { text: "" }).key, "error_text_needed");
  assert.equal(validateAnswer(open, { text: "a".repeat(501) }).key, "error_text_long");
  const ranking = { kind: "ranking", options: ["a", "b", "c"] };
  assert.equal(validateAnswer(ranking, { order: [2, 0, 1] }), null);
  assert.equal(validateAnswer(ranking, { order: [0, 0, 1] }).key, "error_invalid");
  assert.equal(validateAnswer(ranking, null).key, "error_invalid");
});

test("texts spread over the meeting languages and back to the wire, default first", () => {
  const languages = ["es", "en", "zh_Hans"];
  assert.deepEqual(textByLanguage("Hola", languages), { es: "Hola", en: "", zh_Hans: "" });
  assert.deepEqual(textByLanguage({ en: "Hi", es: "Hola" }, languages), { es: "Hola", en: "Hi", zh_Hans: "" });
  const wire = wireText({ zh_Hans: " 你好 ", en: "", es: "Hola" }, languages);
  assert.deepEqual(Object.keys(wire), ["es", "zh_Hans"]);
  assert.deepEqual(wire, { es: "Hola", zh_Hans: "你好" });
  assert.equal(wireText({ es: " " }, languages), null);
});

test("the poll form's payload, and what stops it from being sent", () => {
  const languages = ["es", "en"];
  const { payload, errors } = pollPayload({ kind: "multiple", question: { es: "¿Qué?", en: "What?" },
    options: [{ es: "Uno" }, { es: "", en: "" }, { es: "Dos", en: "Two" }], max_choices: "2",
    results: "closed", anonymous: true, agenda_item_id: "7" }, languages);
  assert.deepEqual(errors, []);
  assert.deepEqual(payload, { kind: "multiple", question: { es: "¿Qué?", en: "What?" },
    options: [{ es: "Uno" }, { es: "Dos", en: "Two" }], max_choices: 2, results: "closed",
    anonymous: true, agenda_item_id: 7 });
  const keys = (draft) => pollPayload(draft, languages).errors.map((error) => error.key);
  assert.deepEqual(keys({ kind: "single", question: { en: "What?" }, options: [{ es: "a" }, { es: "b" }] }),
    ["error_question_needed"]);
  assert.deepEqual(keys({ kind: "ranking", question: { es: "?" }, options: [{ es: "a" }] }),
    ["error_options_count"]);
  assert.deepEqual(keys({ kind: "single", question: { es: "?" }, options: [{ es: "a" }, { en: "b" }] }),
    ["error_option_main_language"]);
  assert.deepEqual(keys({ kind: "multiple", question: { es: "?" }, options: [{ es: "a" }, { es: "b" }],
    max_choices: "3" }), ["error_max_choices"]);
  const rating = pollPayload({ kind: "rating", question: { es: "?" }, scale: "scale10",
    options: [{ es: "ignored" }] }, languages).payload;
  assert.equal(rating.scale, "scale10");
  assert.equal("options" in rating, false);
});

test("the console offers Edit/Launch/Delete on drafts, Close when open, Reopen when closed", () => {
  assert.deepEqual(pollActions("draft"), ["edit", "open", "delete"]);
  assert.deepEqual(pollActions("open"), ["close"]);
  assert.deepEqual(pollActions("closed"), ["open"]);
});

test("staff see every open answer under review, newest rev wins, moderation updates it", () => {
  const store = new PollStore();
  store.reset({
    polls: [{ id: 5, kind: "open_text", status: "open", version: 1 }],
    results: { 5: { kind: "open_text", total: 1, answers: [{ id: 1, text: "shown one", name: null }] } },
    revs: { 5: 3 },
    answers: { 5: [{ id: 1, text: "shown one", status: "shown" }, { id: 2, text: "new", status: "pending" }] },
  });
  assert.deepEqual(store.staffResults(5).answers.map((a) => a.status), ["shown", "pending"]);
  assert.deepEqual(store.applyReviews({ answers: { 5: [] }, revs: { 5: 2 } }), []);
  assert.ok(store.applyModeration({ poll_id: 5, answer_id: 2, shown: true }));
  assert.equal(store.staffResults(5).answers[1].status, "shown");
  assert.deepEqual(store.applyReviews({ answers: { 5: [{ id: 3, text: "x", status: "hidden" }] },
    revs: { 5: 4 } }), [5]);
  assert.equal(store.staffResults(5).answers.length, 1);
});
