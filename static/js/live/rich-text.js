// Paragraphs of user text as the server cut them (webapp/core/rich_text.py): text, links and
// line breaks. The browser never looks for links itself; it only builds DOM nodes from the
// segments, with textContent for every piece of user text.
import { h } from "./dom.js";

const WEB_LINK = /^https?:\/\//i;

/**
 * The segments to show: the server's `paragraphs`, else the plain `text` as one paragraph of
 * lines (an event recorded before the server sent segments). A link whose address is not
 * http(s) is shown as text.
 */
export function richParagraphs(paragraphs, text = "") {
  if (!Array.isArray(paragraphs)) {
    const lines = String(text ?? "").split(/\r\n|\r|\n/);
    const segments = lines.flatMap((line, index) => (index
      ? [{ type: "break" }, { type: "text", text: line }] : [{ type: "text", text: line }]));
    return segments.length ? [segments] : [];
  }
  return paragraphs.map((segments) => segments.map((segment) => {
    if (segment.type === "break") return { type: "break" };
    const shown = String(segment.text ?? "");
    if (segment.type === "link" && WEB_LINK.test(String(segment.href ?? ""))) {
      return { type: "link", href: String(segment.href), text: shown };
    }
    return { type: "text", text: shown };
  }));
}

/** `<p>` nodes for the paragraphs: text nodes, `<br>` and `<a rel="nofollow noopener">`. */
export function richNodes(paragraphs, text) {
  return richParagraphs(paragraphs, text).map((segments) => h("p", {}, segments.map((segment) => {
    if (segment.type === "break") return h("br");
    if (segment.type === "link") {
      return h("a", { href: segment.href, rel: "nofollow noopener", text: segment.text });
    }
    return segment.text;
  })));
}
