// The translation console: pending and live questions in arrival order, each with its original
// and one box per other meeting language (a translation service's suggestion marked as such).
// Interpreters get this page instead of the moderation console; moderators may use it too.
// Sends only `translate_question` and `translate_answer`.
import { openLivePage } from "./live-page.js";
import { format, plural, readJSON } from "./live/data.js";
import { announce, h } from "./live/dom.js";
import { missingLanguages } from "./live/translated.js";
import { bindStatusBanner, langAttr } from "./qa/common.js";

const SHOWN = new Set(["pending", "live", "answered"]);
const root = document.getElementById("qa-translations");
const strings = readJSON(root, "strings");
const languages = readJSON(root, "languages", []);
const list = document.getElementById("translation-list");
const empty = document.getElementById("translation-empty");
const counter = document.getElementById("lacking-count");
const filter = document.getElementById("needs-translation");
const status = document.getElementById("translations-status");
const questions = new Map();
const names = strings.language_names || {};

function lacking(question) {
  return missingLanguages(languages, question.language, question.translations).length > 0
    || (question.answer
      && missingLanguages(languages, question.language, question.answer_translations).length > 0);
}

function editor(question, code, field) {
  const map = (field === "answer" ? question.answer_translations : question.translations) || {};
  const entry = map[code];
  const id = `tr-${question.id}-${field}-${code}`;
  const label = format(field === "answer" ? strings.answer_into : strings.translation_into,
                       { language: names[code] || code });
  const box = h("textarea", { id, rows: "2", lang: langAttr(code), dataset: { role: id } });
  box.value = entry ? entry.text : "";
  const form = h("form", { class: "translation-editor" }, [
    h("label", { for: id }, [label, entry && entry.machine
      ? h("span", { class: "machine-note", text: ` · ${strings.machine_translation}` }) : null]),
    box,
    h("button", { type: "submit", class: "button secondary", text: strings.save }),
  ]);
  // Enter saves (Shift+Enter for a new line); Tab moves to the next box as usual.
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const command = field === "answer" ? "translate_answer" : "translate_question";
    const ack = await connection.send(command,
      { question_id: question.id, language: code, text: box.value });
    if (!ack.ok) { status.textContent = ack.error?.message || strings.retry; return; }
    apply(ack);
    status.textContent = strings.saved;
    announce(strings.saved);
  });
  return form;
}

function missingLine(question, map) {
  const missing = missingLanguages(languages, question.language, map);
  if (!missing.length) return h("p", { class: "muted translation-done", text: strings.complete });
  return h("p", { class: "translation-missing" }, [strings.missing, " ",
    ...missing.map((code) => h("span", { class: "tag tag-missing", text: names[code] || code }))]);
}

function card(question) {
  const others = languages.filter((code) => code !== question.language);
  const state = strings[`tab_${question.status}`] || question.status;
  return h("li", { class: "translation-card", dataset: { id: question.id } }, [
    h("p", { class: "q-meta" }, [h("span", { class: `tag state-${question.status}`, text: state }),
      " ", h("span", { class: "tag", text: names[question.language] || question.language })]),
    h("p", { class: "q-text", lang: langAttr(question.language), text: question.text }),
    missingLine(question, question.translations),
    ...others.map((code) => editor(question, code, "text")),
    question.answer ? h("div", { class: "translation-answer" }, [
      h("p", { class: "q-answer-text", lang: langAttr(question.language), text: question.answer }),
      ...others.map((code) => editor(question, code, "answer")),
    ]) : null,
  ]);
}

function render() {
  const onlyLacking = filter.getAttribute("aria-pressed") === "true";
  const all = [...questions.values()].filter((q) => SHOWN.has(q.status))
    .sort((a, b) => a.id - b.id);
  const count = all.filter(lacking).length;
  counter.textContent = plural(strings, "lacking", count);
  const shown = onlyLacking ? all.filter(lacking) : all;
  // Keep what is being typed: a card with a focused box is left as it is.
  const active = document.activeElement?.closest?.(".translation-card");
  const keep = active ? Number(active.dataset.id) : null;
  const nodes = shown.map((q) => (q.id === keep ? active : card(q)));
  list.replaceChildren(...nodes);
  empty.hidden = shown.length > 0;
}

function apply({ question_id: id, translations, answer_translations }) {
  const question = questions.get(id);
  if (!question) return;
  Object.assign(question, { translations, answer_translations });
  render();
}

filter.addEventListener("click", () => {
  filter.setAttribute("aria-pressed", String(filter.getAttribute("aria-pressed") !== "true"));
  render();
});

const connection = openLivePage(root);
bindStatusBanner(connection, document.getElementById("connection-banner"), strings);
connection.onSnapshot((snapshot) => {
  questions.clear();
  for (const question of snapshot.qa?.questions || []) questions.set(question.id, question);
  render();
});
function upsert(question) {
  questions.set(question.id, { ...questions.get(question.id), ...question });
  render();
}
for (const type of ["question_published", "question_updated"]) {
  connection.on(type, ({ question }) => upsert(question));
}
connection.on("question_removed", ({ question_id: id }) => {
  const question = questions.get(id);
  if (question && question.status !== "pending") { questions.delete(id); render(); }
});
connection.on("interpreter_question_changed", ({ question }) => upsert(question));
connection.on("staff_question_changed", ({ question }) => upsert(question));
connection.on("question_translated", apply);
connection.start();
