// Small helpers shared by the Q&A pages: language tags, status banner, agenda names, cards.
// Page data and string formatting come from ../live/data.js; starting from ../live-page.js.
import { plural } from "../live/data.js";
import { h } from "../live/dom.js";

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
    items.set(item.id, item.title);
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

/** A question card for the presenter (big type, no controls). */
export function presenterCard(question, strings) {
  return h("article", { class: "presenter-card", dataset: { questionId: question.id } }, [
    h("p", { class: "presenter-text", lang: langAttr(question.language), text: question.text }),
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
