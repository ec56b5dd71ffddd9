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

/** Same guess as the server: Han characters → Chinese, Spanish markers → Spanish, else English. */
export function guessLanguage(text) {
  if (/[\u3400-\u9fff\uf900-\ufaff]/u.test(text)) return "zh_Hans";
  if (/[ñáéíóú¿¡]/iu.test(text) ||
      /\b(que|cómo|como|por|para|los|las|el|la|una|del|qué|cuál|cuándo|dónde)\b/iu.test(text)) {
    return "es";
  }
  return "en";
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

/** Two recorded questions are compared with character bigrams and trigrams (works for Chinese). */
export function grams(text) {
  const flat = text.normalize("NFKD").toLocaleLowerCase()
    .replace(/\p{Mn}/gu, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const found = new Set();
  for (let i = 0; i + 2 <= flat.length; i += 1) found.add(flat.slice(i, i + 2));
  for (let i = 0; i + 3 <= flat.length; i += 1) found.add(flat.slice(i, i + 3));
  for (const gram of [...found]) if (!gram.trim() || gram.includes("  ")) found.delete(gram);
  return found;
}

export function similarity(a, b) {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return (2 * shared) / (a.size + b.size);
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
