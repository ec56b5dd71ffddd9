// The browser picks an organiser text's language by the server's rule: same vectors as
// tests/core/test_i18n_text.py.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { pickText } from "../../static/js/live/local-text.js";

const vectors = JSON.parse(readFileSync(new URL("../data/localized_text_vectors.json", import.meta.url), "utf8"));

for (const vector of vectors) {
  test(`pickText: ${vector.name}`, () => {
    assert.deepEqual(pickText(vector.value, vector.language), { text: vector.text, lang: vector.lang });
  });
}
