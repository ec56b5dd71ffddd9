// Small helpers shared by the Q&A pages: language tags, status banner, agenda names, cards.
// Page data and string formatting come from ../live/data.js; starting from ../live-page.js.
import { elapsedSince, minutesSeconds } from "../live/clock-rules.js";
import { plural } from "../live/data.js";
import { h } from "../live/dom.js";
import { localText } from "../live/local-text.js";

/** BCP 47 form of a stored language tag, for `lang` attributes. */
export function langAttr(tag) {
  return (tag || "").replace("_", "-") || null;
}

const SHORT_TAGS = { zh_Hans: "中文", es: "ES", en: "EN" };

export function languageBadge(tag) {
  return SHORT_TAGS[tag] || String(tag || "").toUpperCase();
}

/** Statuses everyone sees (and may vote on while live); the others are the asker's business. */
export function isPublicStatus(status) {
  return status === "live" || status === "answered";
}

/**
 * Whether a question belongs in a view of the attendee's list. Open holds what is still open:
 * live questions and my own waiting for a moderator. My closed ones (dismissed, merged into
 * another, archived) appear only under Mine, where their card says what happened to them.
 */
export function inView(question, view) {
  if (view === "mine") return Boolean(question.mine);
  if (view === "answered") return question.status === "answered";
  return question.status === "live" || (Boolean(question.mine) && question.status === "pending");
}

/** Show the connection state in a banner; hidden while online. */
export function bindStatusBanner(connection, banner, strings) {
  if (!banner) return;
  connection.onStatus((status, message) => {
    const texts = {
      offline: strings.offline,
      syncing: strings.syncing,
      refused: message || strings.refused,
      closed: strings.closed_connection,
    };
    const text = status === "connecting" ? "" : texts[status] || "";
    banner.textContent = text;
    banner.hidden = !text;
    banner.dataset.state = status;
    document.documentElement.dataset.connection = status;
  });
}

/** Agenda item title by id, from the page's agenda data. */
export function agendaIndex(agenda) {
  const items = new Map();
  const speakers = new Map();
  for (const item of agenda) {
    items.set(item.id, localText(item.title));
    for (const speaker of item.speakers || []) speakers.set(speaker.id, speaker.name);
  }
  return { items, speakers };
}

/** "Name · Organisation" or the translated "Anonymous". */
export function authorLine(question, strings) {
  const author = question.author;
  if (!author) return strings.anonymous;
  return author.organisation ? `${author.name} · ${author.organisation}` : author.name;
}

/**
 * A question card for the presenter (big type, no controls); with `translation` (a meeting
 * language), the original and that translation side by side when one exists.
 */
export function presenterCard(question, strings, translation = "") {
  const original = h("p", { class: "presenter-text", lang: langAttr(question.language),
    text: question.text });
  const shown = translation && translation !== question.language
    ? (question.translations || {})[translation] : null;
  return h("article", { class: "presenter-card", dataset: { questionId: question.id } }, [
    shown
      ? h("div", { class: "presenter-pair" }, [original, h("p", {
        class: "presenter-text presenter-translation", lang: langAttr(translation),
        text: shown.text })])
      : original,
    h("p", { class: "presenter-meta" }, [
      h("span", { class: "presenter-author", text: authorLine(question, strings) }),
      " ",
      h("span", { class: "presenter-votes", text: plural(strings, "votes", question.votes) }),
    ]),
  ]);
}

/**
 * The popular order, the server's too (`qa.ordering`): most votes first, and among equal votes
 * the question asked first (lower id), which has waited longest. Shared with the server through
 * tests/data/popular_vectors.json.
 */
export function byPopularity(a, b) {
  return (b.votes ?? 0) - (a.votes ?? 0) || a.id - b.id;
}

/** Whether `shownIds` (the order on screen) differs from `questions` sorted by `compare`. */
export function orderChanged(shownIds, questions, compare = byPopularity) {
  const wanted = [...questions].sort(compare).map((question) => String(question.id));
  const shown = shownIds.map(String);
  return wanted.length !== shown.length || wanted.some((id, index) => id !== shown[index]);
}

/**
 * What the presenter shows next: the questions of the moderators' "up next" order first, in
 * that order, then the others by popularity (the server's `presenter_services.screen` too).
 */
export function upNextFirst(questions, upNextIds = []) {
  const place = new Map(upNextIds.map((id, index) => [id, index]));
  const queued = questions.filter((q) => place.has(q.id))
    .sort((a, b) => place.get(a.id) - place.get(b.id));
  const rest = questions.filter((q) => !place.has(q.id)).sort(byPopularity);
  return [...queued, ...rest];
}

/** The "up next" order with `id` added at the end, or taken out when it is already there. */
export function toggleUpNext(ids, id) {
  return ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id];
}

/** The "up next" order with `id` moved `step` places (-1 earlier, 1 later), kept in bounds. */
export function moveUpNext(ids, id, step) {
  const from = ids.indexOf(id);
  if (from < 0) return ids;
  return moveUpNextTo(ids, id, Math.min(ids.length - 1, Math.max(0, from + step)));
}

/** The "up next" order with `id` at position `to` (a drop). */
export function moveUpNextTo(ids, id, to) {
  const rest = ids.filter((other) => other !== id);
  if (rest.length === ids.length) return ids;
  rest.splice(Math.min(rest.length, Math.max(0, to)), 0, id);
  return rest;
}

/** "Answering for m:ss" since the server time `since`; `updateTimers` keeps it counting. */
export function timerLine(since, strings, offset, className = "answer-timer") {
  const text = minutesSeconds(elapsedSince(since, Date.now() + offset));
  return h("p", { class: className }, [strings.answering_for, " ",
    h("time", { class: "timer", dataset: { since }, text })]);
}

/** Recount every timer under `scope` from the server's times (server clock = local + offset). */
export function updateTimers(scope, offset) {
  const now = Date.now() + offset;
  for (const node of scope.querySelectorAll("[data-since]")) {
    const text = minutesSeconds(elapsedSince(node.dataset.since, now));
    if (node.textContent !== text) node.textContent = text;
  }
}
