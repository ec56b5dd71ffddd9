// node --test tests/js : rules of the board and clock-control panels that run in the browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { mergePost, ownReactionsOf, snapshotPosts, withReaction } from "../../static/js/board.js";
import { followingItem } from "../../static/js/clock-controls.js";

test("a new post is taken as it comes", () => {
  const post = { id: 1, text: "Hola", hidden: false, reactions: {} };
  assert.deepEqual(mergePost(undefined, post), post);
});

test("the author keeps their own text of a post hidden since, with the reason", () => {
  const shown = { id: 1, text: "Hola", author: { name: "Ana" }, hidden: false, mine: ["like"] };
  const forAuthor = mergePost(shown, { id: 1, hidden: true, hide_reason: "off topic",
    text: "Hola", author: { name: "Ana" } });
  assert.equal(forAuthor.text, "Hola");
  assert.equal(forAuthor.hide_reason, "off topic");
  assert.deepEqual(forAuthor.mine, ["like"]);
});

test("others lose the text and author of a hidden post", () => {
  const shown = { id: 1, text: "Hola", author: { name: "Ana" }, hidden: false };
  const merged = mergePost(shown, { id: 1, hidden: true });
  assert.equal("text" in merged, false);
  assert.equal("author" in merged, false);
  assert.equal(merged.hidden, true);
});

test("a restored post drops the old reason; reactions given stay unless the event says", () => {
  const hidden = { id: 1, hidden: true, hide_reason: "spam", mine: ["thanks"] };
  const restored = mergePost(hidden, { id: 1, hidden: false, text: "Hola" });
  assert.equal("hide_reason" in restored, false);
  assert.deepEqual(restored.mine, ["thanks"]);
  assert.deepEqual(mergePost(restored, { id: 1, mine: [] }).mine, []);
});

test("an own reaction given or taken back in another tab changes only that kind", () => {
  assert.deepEqual(withReaction(["like"], "thanks", true), ["like", "thanks"]);
  assert.deepEqual(withReaction(["like", "thanks"], "thanks", true), ["like", "thanks"]);
  assert.deepEqual(withReaction(["like", "thanks"], "like", false), ["thanks"]);
  assert.deepEqual(withReaction(undefined, "like", false), []);
});

test("a rejoin's own reactions replace those shown; a post missing from them has none", () => {
  const mine = { 4: ["thanks", "applause"] };
  assert.deepEqual(ownReactionsOf(mine, 4), ["applause", "thanks"]);
  assert.deepEqual(ownReactionsOf(mine, 5), []);
  assert.deepEqual(ownReactionsOf(undefined, 5), []);
});

test("'Jump to item' defaults to the item after the current one", () => {
  const items = [{ id: 10, position: 1 }, { id: 11, position: 2 }, { id: 12, position: 3 }];
  assert.equal(followingItem({ items, current_item_id: 11 }).id, 12);
  assert.equal(followingItem({ items, current_item_id: 12 }), undefined);
  assert.equal(followingItem({ items, current_item_id: 99 }).id, 10);
});

test("a snapshot's shared posts take the viewer's own reactions and own hidden posts", () => {
  const board = {
    pinned: [{ id: 1, pinned: true, text: "Bienvenidos" }],
    posts: [{ id: 2, hidden: true }, { id: 3, text: "Gracias" }],
    my_reactions: { 3: ["thanks", "applause"], 9: ["thanks"] },
    own_posts: [{ id: 2, hidden: true, text: "mi texto", hide_reason: "fuera de tema" }],
  };
  const { pinned, posts } = snapshotPosts(board);
  assert.deepEqual(pinned, [{ id: 1, pinned: true, text: "Bienvenidos" }]);
  assert.deepEqual(posts[0], { id: 2, hidden: true, text: "mi texto", hide_reason: "fuera de tema" });
  assert.deepEqual(posts[1], { id: 3, text: "Gracias", mine: ["applause", "thanks"] });
  assert.deepEqual(snapshotPosts({}), { pinned: [], posts: [] });
});
