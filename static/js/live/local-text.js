// Organiser texts (agenda titles, speakers' titles) arrive as the server stores them: a string
// that reads the same in every language, or `{language: text}` with the meeting's default
// language first. The reader's language, else the default, else any value: the rule of
// webapp/core/i18n_text.py, checked against the same vectors (tests/data/localized_text_vectors.json).

/** The page's language in the server's spelling (`zh-Hans` in HTML is `zh_Hans`). */
export function pageLanguage(doc = globalThis.document) {
  return ((doc && doc.documentElement && doc.documentElement.lang) || "en").replace("-", "_");
}

/** `{text, lang}` of `value` for `language`; `lang` is null for a plain text. */
export function pickText(value, language = pageLanguage()) {
  if (value === null || value === undefined) return { text: "", lang: null };
  if (typeof value === "string") return { text: value, lang: null };
  if (Object.hasOwn(value, language)) return { text: value[language], lang: language };
  for (const [lang, text] of Object.entries(value)) return { text, lang };
  return { text: "", lang: null };
}

/** Just the text of `pickText`. */
export function localText(value, language = pageLanguage()) {
  return pickText(value, language).text;
}

/** Set `node`'s text to `value` and its `lang` when it is not the page's language. */
export function setLocalText(node, value, language = pageLanguage()) {
  const { text, lang } = pickText(value, language);
  if (node.textContent !== text) node.textContent = text;
  if (lang && lang !== language) node.setAttribute("lang", lang.replace("_", "-"));
  else node.removeAttribute("lang");
}
