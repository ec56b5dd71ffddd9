// What the server puts into a page and the words it hands over, read and filled in one way.
//
// The server writes each piece of page data (translated strings, the clock state, ...) as a
// `<script type="application/json" data-json="NAME">` element directly inside the element
// that uses it; `readJSON(root, NAME)` reads it. Strings keep gettext's own placeholders
// (`%(name)s`, `%(num)d`), filled in by `format`. No browser APIs beyond the `root` passed in.

/** Parse JSON text, or return `fallback` when it is missing or malformed. */
export function parseJSON(text, fallback) {
  if (typeof text !== "string" || !text.trim()) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** The data block `name` that the server rendered directly inside `root`. */
export function readJSON(root, name, fallback = {}) {
  for (const node of root ? root.children : []) {
    if (node.localName === "script" && node.type === "application/json" &&
        node.dataset.json === name) {
      return parseJSON(node.textContent, fallback);
    }
  }
  return fallback;
}

/**
 * Fill `%(name)s` / `%(name)d` placeholders of a translated string in one pass (a value that
 * itself looks like a placeholder stays as it is); unknown names are left in place.
 */
export function format(template, params = {}) {
  return String(template ?? "").replace(/%\((\w+)\)[sd]/g, (match, name) =>
    (Object.hasOwn(params, name) ? String(params[name]) : match));
}

/** Pick the singular or plural form (`key_one` / `key_other`) and fill in `num`. */
export function plural(strings, key, num) {
  return format(num === 1 ? strings[`${key}_one`] : strings[`${key}_other`], { num });
}

/** A fresh id for a command the server must apply once even when it is sent again. */
export function newClientId() {
  const { crypto } = globalThis;
  if (crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
