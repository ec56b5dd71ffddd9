// Text shown in the reader's language when a translation exists, with the original behind a
// toggle. Every word comes from the server (`strings.translated_from`, `machine_translation`,
// `show_original`, `language_names`, `page_language`); nothing is composed here.
import { format } from "./data.js";
import { h } from "./dom.js";

/** The translation to show a reader of `pageLanguage`, or null (none, or already theirs). */
export function pickTranslation(translations, original, pageLanguage) {
  if (!pageLanguage || pageLanguage === original) return null;
  const entry = (translations || {})[pageLanguage];
  return entry && typeof entry.text === "string" && entry.text ? entry : null;
}

/** The meeting languages a text in `original` still lacks, in the meeting's order. */
export function missingLanguages(languages, original, translations) {
  const have = translations || {};
  return (languages || []).filter((code) => code !== original && !have[code]);
}

/** "Translated from Spanish", from the server's words. */
export function translatedLabel(strings, original) {
  const name = (strings.language_names || {})[original] || original || "";
  return format(strings.translated_from, { language: name });
}

const lang = (tag) => (tag || "").replace("_", "-") || null;
/** Keys (e.g. "q-3", "a-3", "p-9") whose original the reader chose to see: kept across renders. */
const showingOriginal = new Set();

/**
 * Nodes for `text` in `language`: the reader's translation with its label and a toggle to the
 * original when one exists, else the original alone. `render(text, lang, entry)` builds one
 * text node (a paragraph, or rich text for posts); `entry` is the translation, null for the
 * original.
 */
export function translatedNodes({ key, text, language, translations, strings, render }) {
  const entry = pickTranslation(translations, language, strings.page_language);
  if (!entry) return [render(text, lang(language), null)];
  const original = render(text, lang(language), null);
  const translated = render(entry.text, lang(strings.page_language), entry);
  const pressed = showingOriginal.has(key);
  original.hidden = !pressed;
  original.classList.add("original-text");
  translated.hidden = pressed;
  const button = h("button", {
    type: "button", class: "link-button translation-toggle", "aria-pressed": String(pressed),
    text: strings.show_original,
  });
  button.addEventListener("click", () => {
    const now = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(now));
    original.hidden = !now;
    translated.hidden = now;
    if (now) showingOriginal.add(key); else showingOriginal.delete(key);
  });
  const note = h("p", { class: "translation-note" }, [
    h("span", { text: translatedLabel(strings, language) }),
    entry.machine ? " · " : null,
    entry.machine ? h("span", { class: "machine-note", text: strings.machine_translation }) : null,
    " ",
    button,
  ]);
  return [translated, original, note];
}
