// node --test tests/js : the segments the board builds DOM nodes from (server's rich_text rule).
import assert from "node:assert/strict";
import { test } from "node:test";

import { mergePost } from "../../static/js/board.js";
import { richParagraphs } from "../../static/js/live/rich-text.js";

test("the server's paragraphs are taken as they come", () => {
  const paragraphs = [[{ type: "text", text: "Ver " },
    { type: "link", href: "https://example.org/", text: "https://example.org/" }],
  [{ type: "text", text: "uno" }, { type: "break" }, { type: "text", text: "<b>dos</b>" }]];
  assert.deepEqual(richParagraphs(paragraphs, "ignored"), paragraphs);
});

test("a link that is not http(s) is shown as its text, never as a link", () => {
  for (const href of ["javascript:alert(1)", "data:text/html,x", " https://x", "", undefined]) {
    assert.deepEqual(richParagraphs([[{ type: "link", href, text: "clic" }]]),
      [[{ type: "text", text: "clic" }]]);
  }
});

test("a post without paragraphs shows its text as lines", () => {
  assert.deepEqual(richParagraphs(undefined, "uno\r\ndos"),
    [[{ type: "text", text: "uno" }, { type: "break" }, { type: "text", text: "dos" }]]);
});

test("a post hidden from this viewer loses its paragraphs with its text", () => {
  const shown = { id: 1, text: "Hola", paragraphs: [[{ type: "text", text: "Hola" }]] };
  assert.equal("paragraphs" in mergePost(shown, { id: 1, hidden: true }), false);
});
