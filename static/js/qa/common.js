// Small helpers shared by the Q&A pages: page data, translated strings, status banner.
import { attachBoard } from "../board.js";
import { attachClockControls } from "../clock-controls.js";
import { attachClock } from "../clock.js";
import { h } from "../live/dom.js";

/** Parse a `<script type="application/json">` data block rendered by the server. */
export function readJSON(id, fallback = {}) {
  const node = document.getElementById(id);
  if (!node) return fallback;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return fallback;
  }
}

/** Fill `%(name)s` / `%(num)d` placeholders of a translated string. */
export function fmt(template, params = {}) {
  return String(template ?? "").replace(/%\((\w+)\)[sd]/g, (match, name) =>
    name in params ? String(params[name]) : match);
}

/** Pick the singular or plural form (`key_one` / `key_other`) and fill in `num`. */
export function plural(strings, key, num) {
  return fmt(num === 1 ? strings[`${key}_one`] : strings[`${key}_other`], { num });
}

/** BCP 47 form of a stored language tag, for `lang` attributes. */
export function langAttr(tag) {
  return (tag || "").replace("_", "-") || null;
}

const SHORT_TAGS = { zh_Hans: "中文", es: "ES", en: "EN" };

export function languageBadge(tag) {
  return SHORT_TAGS[tag] || String(tag || "").toUpperCase();
}

export function newClientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
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
 * Hand the page's connection to the clock, clock controls and board when the page holds them.
 * Called during the module's first run, before `connection.start()` (docs/protocol.md).
 */
export function attachPanels(connection) {
  const clock = document.querySelector("[data-clock]");
  if (clock) attachClock(connection, clock);
  const controls = document.querySelector("[data-clock-controls]");
  if (controls) attachClockControls(connection, controls);
  const board = document.querySelector("[data-board]");
  if (board) attachBoard(connection, board);
}
