// node --test tests/js : the small rules the Q&A pages share (static/js/qa/common.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  agendaIndex, authorLine, inView, isPublicStatus, langAttr, languageBadge,
} from "../../static/js/qa/common.js";

test("stored language tags become BCP 47 for lang attributes", () => {
  assert.equal(langAttr("zh_Hans"), "zh-Hans");
  assert.equal(langAttr("es"), "es");
  assert.equal(langAttr(""), null);
  assert.equal(langAttr(null), null);
});

test("language badges are short and readable", () => {
  assert.equal(languageBadge("zh_Hans"), "中文");
  assert.equal(languageBadge("es"), "ES");
  assert.equal(languageBadge("pt"), "PT");
  assert.equal(languageBadge(undefined), "");
});

test("the agenda index names items and their speakers by id", () => {
  const { items, speakers } = agendaIndex([
    { id: 1, title: "Apertura", speakers: [{ id: 5, name: "Dra. Rojas" }] },
    { id: 2, title: "Preguntas" },
  ]);
  assert.equal(items.get(1), "Apertura");
  assert.equal(items.get(2), "Preguntas");
  assert.equal(speakers.get(5), "Dra. Rojas");
  assert.equal(speakers.size, 1);
});

test("the author line shows name and organisation, or the anonymous word", () => {
  const strings = { anonymous: "Anónimo" };
  assert.equal(authorLine({ author: null }, strings), "Anónimo");
  assert.equal(authorLine({ author: { name: "Lucía" } }, strings), "Lucía");
  assert.equal(authorLine({ author: { name: "Lucía", organisation: "MINSA" } }, strings),
    "Lucía · MINSA");
});

test("only live and answered questions are public (and carry a vote button)", () => {
  assert.equal(isPublicStatus("live"), true);
  assert.equal(isPublicStatus("answered"), true);
  for (const status of ["pending", "dismissed", "archived", "withdrawn", undefined]) {
    assert.equal(isPublicStatus(status), false, status);
  }
});

test("the asker's closed questions are under Mine, not Open", () => {
  const views = (question) => ["open", "answered", "mine"].filter((view) => inView(question, view));
  assert.deepEqual(views({ status: "live" }), ["open"]);
  assert.deepEqual(views({ status: "answered" }), ["answered"]);
  assert.deepEqual(views({ status: "live", mine: true }), ["open", "mine"]);
  assert.deepEqual(views({ status: "answered", mine: true }), ["answered", "mine"]);
  assert.deepEqual(views({ status: "pending", mine: true }), ["open", "mine"]);
  assert.deepEqual(views({ status: "dismissed", mine: true, dismiss_reason: "off_topic" }),
    ["mine"]);
  assert.deepEqual(views({ status: "dismissed", mine: true, merged_into_id: 7 }), ["mine"]);
  assert.deepEqual(views({ status: "archived", mine: true }), ["mine"]);
});

test("translations: the reader's language only, never the original's", async () => {
  const { pickTranslation, missingLanguages, translatedLabel } =
    await import("../../static/js/live/translated.js");
  const translations = { es: { text: "¿Cómo?", machine: true } };
  assert.deepEqual(pickTranslation(translations, "zh_Hans", "es"), translations.es);
  assert.equal(pickTranslation(translations, "es", "es"), null);
  assert.equal(pickTranslation(translations, "zh_Hans", "en"), null);
  assert.equal(pickTranslation({ es: { text: "" } }, "zh_Hans", "es"), null);
  assert.deepEqual(missingLanguages(["zh_Hans", "es", "en"], "zh_Hans", translations), ["en"]);
  assert.deepEqual(missingLanguages(["zh_Hans"], "zh_Hans", null), []);
  const strings = { translated_from: "Traducido del %(language)s",
    language_names: { zh_Hans: "chino (simplificado)" } };
  assert.equal(translatedLabel(strings, "zh_Hans"), "Traducido del chino (simplificado)");
});
