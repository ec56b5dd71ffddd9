// The live message board: posts, reactions, pinned announcements, moderation, "load older"
// by keyset cursor, and an unread divider after a reconnect. User text only via textContent.
//
// ./live-page.js attaches it to the page's connection (`attachBoard`) before starting.
import { format, newClientId, readJSON } from "./live/data.js";
import { keptValue } from "./live/kept.js";
import { burstAnnouncer } from "./live/burst.js";
import { announce, h } from "./live/dom.js";
import { mergeReactions, newestCounts } from "./live/order.js";
import { richNodes } from "./live/rich-text.js";
import { translatedNodes } from "./live/translated.js";
import { zoneLine } from "./live/time.js";

/** BCP 47 form of a stored language tag, for `lang` attributes (null: inherit the page's). */
const langTag = (tag) => (tag || "").replace("_", "-") || null;

/**
 * A post event over the post shown: what this viewer already knew stays (the author's own text
 * of a post hidden since, the reactions they gave), unless the event says otherwise.
 */
export function mergePost(previous = {}, post) {
  const merged = { ...previous, ...post };
  if (post.hidden === false) delete merged.hide_reason;
  if (post.hidden && !("text" in post)) {
    delete merged.text; delete merged.paragraphs; delete merged.author;
  }
  if ("text" in post && !("paragraphs" in post)) delete merged.paragraphs;
  if (!("mine" in post) && previous.mine) merged.mine = previous.mine;
  return merged;
}

/** The kinds of `mine` with `kind` given (`on`) or taken back, in a stable order. */
export function withReaction(mine = [], kind, on) {
  const kinds = new Set(mine);
  if (on) kinds.add(kind); else kinds.delete(kind);
  return [...kinds].sort();
}

/** A post's own reactions in a rejoin's `figures.board.my_reactions` (absent: none). */
export function ownReactionsOf(mine = {}, postId) {
  return [...(mine[String(postId)] || [])].sort();
}

/**
 * The pinned posts and the newest page of a `join` snapshot as this viewer sees them: every
 * attendee receives the same posts, so the viewer's own reactions (`my_reactions`) and their
 * own hidden posts in full (`own_posts`) come beside them and are laid over them here.
 */
export function snapshotPosts(board) {
  const own = new Map((board.own_posts || []).map((post) => [post.id, post]));
  const view = (post) => {
    const mine = ownReactionsOf(board.my_reactions, post.id);
    return { ...(own.get(post.id) || post), ...(mine.length ? { mine } : {}) };
  };
  return { pinned: (board.pinned || []).map(view), posts: (board.posts || []).map(view) };
}

function sameKinds(a = [], b = []) {
  return [...a].sort().join(" ") === [...b].sort().join(" ");
}

/** Drive `root` (a `[data-board]` element) from `connection`; call before `start()`. */
export function attachBoard(connection, root) {
  if (root.dataset.attached) return;
  root.dataset.attached = "board";
  const strings = { ...readJSON(root, "strings", {}), ...readJSON(root, "translation", {}) };
  const kinds = readJSON(root, "reactions", []);
  const emoji = readJSON(root, "reaction_emoji", {});
  const staff = root.dataset.staff === "true";
  const times = readJSON(root, "times", null);
  const maxLength = Number(root.dataset.maxLength) || 1000;
  const list = root.querySelector("[data-board-posts]");
  const pinnedWrap = root.querySelector("[data-board-pinned-wrap]");
  const pinnedList = root.querySelector("[data-board-pinned]");
  const older = root.querySelector("[data-board-older]");
  const empty = root.querySelector("[data-board-empty]");
  const status = root.querySelector("[data-board-status]");
  const form = root.querySelector("[data-board-form]");
  const textarea = form.querySelector("textarea");
  const counter = root.querySelector("[data-board-count]");
  const error = root.querySelector("[data-board-error]");
  const sending = root.querySelector("[data-board-sending]");
  const settingsForm = root.querySelector("[data-board-settings]");
  // The unsent post survives a reload of the tab, with its client id: a post whose ack was
  // lost is sent again under the same id and stored once.
  const keptDraft = keptValue("board-draft", root.dataset.meetingId);

  const posts = new Map();   // id -> data
  let before = null;         // keyset cursor for "load older"
  let settings = { mode: "open", slow_seconds: 0 };
  const draft = keptDraft.read();
  let clientId = (draft && draft.client_id) || newClientId();
  let dividerAfter = null;   // highest post id seen before the connection dropped
  let dividerPlaced = false;
  const newPosts = burstAnnouncer(() => strings.new_post, announce);

  // --- rendering ---------------------------------------------------------------------------

  function metaLine(post) {
    const author = post.author || {};
    // The name carries its own language (when its script tells); "· Organisers" is the page's.
    const nameLang = langTag(author.language);
    const bits = [author.staff
      ? h("strong", {}, [h("span", { lang: nameLang, text: author.name }), ` · ${strings.staff}`])
      : h("strong", { lang: author.name ? nameLang : null, text: author.name || strings.anonymous })];
    if (author.organisation) bits.push(" ", h("span", { class: "muted", text: author.organisation }));
    if (post.created_at) {
      bits.push(" ", h("time", { class: "muted", datetime: post.created_at,
        text: zoneLine(post.created_at, times) }));
    }
    if (post.pinned) bits.push(" ", h("span", { class: "badge", text: strings.pinned }));
    if (post.quoted) bits.push(" ", h("span", { class: "badge", text: strings.quoted }));
    return h("p", { class: "board-meta" }, bits);
  }

  /** A reaction as a compact chip: its emoji, its count when there is one; named in words. */
  function reactionChip(kind, count) {
    const label = (strings.reactions || {})[kind] || kind;
    const name = count
      ? format(strings[`reaction_count_${count === 1 ? "one" : "other"}`] || "%(name)s %(num)d",
        { name: label, num: count })
      : label;
    return { name, content: [
      h("span", { class: "reaction-emoji", "aria-hidden": "true", text: emoji[kind] || label }),
      count ? h("span", { class: "reaction-n", "aria-hidden": "true", text: String(count) }) : null,
    ] };
  }

  function reactionBar(post) {
    const counts = post.reactions || {};
    const mine = new Set(post.mine || []);
    return h("div", { class: "board-reactions", role: "group",
      "aria-label": strings.reactions_label || "" }, kinds.map((kind) => {
      const count = counts[kind] || 0;
      const { name, content } = reactionChip(kind, count);
      if (staff) {
        return count ? h("span", { class: "reaction-count", title: name }, [
          ...content, h("span", { class: "visually-hidden", text: name })]) : null;
      }
      return h("button", {
        type: "button", class: "reaction", "aria-pressed": mine.has(kind) ? "true" : "false",
        "aria-label": name, title: name,
        dataset: { kind }, onclick: () => react(post.id, kind, !mine.has(kind)),
      }, content);
    }));
  }

  function staffActions(post) {
    if (!staff) return null;
    const bar = h("div", { class: "board-actions" });
    if (post.hidden) {
      bar.append(h("button", { type: "button", class: "link-button", text: strings.restore,
        onclick: () => command("restore_post", { post_id: post.id }) }));
      return bar;
    }
    bar.append(h("button", { type: "button", class: "link-button",
      text: post.pinned ? strings.unpin : strings.pin,
      onclick: () => command("pin_post", { post_id: post.id, pinned: !post.pinned }) }));
    if (post.author && !post.author.staff && post.author.name) {
      bar.append(h("button", { type: "button", class: "link-button",
        text: post.quoted ? strings.unquote : strings.quote,
        onclick: () => command(post.quoted ? "unquote_post" : "quote_post", { post_id: post.id }) }));
    }
    const reasonId = `hide-reason-${post.id}`;
    const hideForm = h("form", { class: "board-hide", hidden: true }, [
      h("label", { for: reasonId, text: strings.reason }),
      h("input", { id: reasonId, name: "reason", maxlength: 500, required: true }),
      h("button", { type: "submit", class: "button secondary", text: strings.confirm_hide }),
      h("button", { type: "button", class: "link-button", text: strings.cancel,
        onclick: () => { hideForm.hidden = true; } }),
    ]);
    hideForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reason = hideForm.querySelector("input").value;
      await command("hide_post", { post_id: post.id, reason }, hideForm);
    });
    bar.append(h("button", { type: "button", class: "link-button", text: strings.hide,
      onclick: () => { hideForm.hidden = false; hideForm.querySelector("input").focus(); } }),
    hideForm);
    return bar;
  }

  function renderPost(post) {
    const children = [];
    if (post.hidden) {
      children.push(h("p", { class: "board-hidden muted", text: post.hide_reason
        ? format(strings.hidden_reason, { reason: post.hide_reason }) : strings.hidden }));
      if (post.text !== undefined) {
        children.push(metaLine(post), h("div", { class: "board-text is-hidden",
          lang: langTag(post.language) }, richNodes(post.paragraphs, post.text)));
      }
    } else {
      children.push(metaLine(post), ...translatedNodes({
        key: `p-${post.id}`, text: post.text, language: post.language || strings.content_language,
        translations: post.translations, strings,
        render: (text, lang, entry) => h("div", { class: "board-text", lang },
          entry ? richNodes(entry.paragraphs, entry.text) : richNodes(post.paragraphs, post.text)),
      }), reactionBar(post));
    }
    children.push(staffActions(post));
    return h("li", { class: `board-post${post.pinned ? " is-pinned" : ""}${post.hidden
      ? " is-hidden" : ""}`, dataset: { postId: post.id } }, children);
  }

  function nodeFor(id, container = list) {
    return container.querySelector(`[data-post-id="${Number(id)}"]`);
  }

  function placeDivider(id) {
    if (dividerAfter === null || dividerPlaced || id <= dividerAfter) return;
    dividerPlaced = true;
    const node = nodeFor(id);
    if (node) node.before(h("li", { class: "board-divider", role: "separator", text: strings.unread }));
  }

  /** Where the focus is inside a post, so that a re-rendered post gets it back (a reaction
   * button is found again by its kind, other controls by their place in the post). */
  function focusMarker() {
    const active = document.activeElement;
    const node = active && active.closest ? active.closest("[data-post-id]") : null;
    if (!node || !root.contains(node)) return null;
    const controls = [...node.querySelectorAll("button, input, a[href]")];
    return { id: node.dataset.postId, pinned: pinnedList.contains(node),
      kind: active.dataset.kind, index: controls.indexOf(active) };
  }

  function restoreFocus(marker) {
    if (!marker || root.contains(document.activeElement)) return;
    const node = nodeFor(marker.id, marker.pinned ? pinnedList : list);
    if (!node) return;
    const target = marker.kind
      ? node.querySelector(`[data-kind="${CSS.escape(marker.kind)}"]`)
      : node.querySelectorAll("button, input, a[href]")[marker.index];
    target?.focus({ preventScroll: true });
  }

  function upsert(post, { live = false } = {}) {
    const focused = focusMarker();
    const merged = mergePost(posts.get(post.id), post);
    posts.set(post.id, merged);
    const node = renderPost(merged);
    const existing = nodeFor(post.id);
    if (existing) existing.replaceWith(node);
    else {
      const after = [...list.querySelectorAll("[data-post-id]")]
        .find((n) => Number(n.dataset.postId) > post.id);
      if (after) after.before(node); else list.append(node);
      placeDivider(post.id);
      if (live) newPosts.add();
    }
    renderPinned();
    restoreFocus(focused);
    empty.hidden = posts.size > 0;
  }

  function renderPinned() {
    const pins = [...posts.values()].filter((p) => p.pinned && !p.hidden)
      .sort((a, b) => a.id - b.id);
    pinnedList.replaceChildren(...pins.map((p) => renderPost(p)));
    pinnedWrap.hidden = pins.length === 0;
  }

  function renderSettings() {
    const open = settings.mode === "open";
    const parts = [];
    if (settings.mode === "read_only") parts.push(strings.mode_read_only);
    if (settings.mode === "off") parts.push(strings.mode_off);
    if (settings.slow_seconds > 0 && settings.mode !== "off") {
      parts.push(format(strings.slow, { n: settings.slow_seconds }));
    }
    status.textContent = parts.join(" ");
    const mayWrite = staff ? settings.mode !== "off" : open;
    form.hidden = !mayWrite;
    if (settingsForm) {
      settingsForm.elements.mode.value = settings.mode;
      if (document.activeElement !== settingsForm.elements.slow_seconds) {
        settingsForm.elements.slow_seconds.value = String(settings.slow_seconds);
      }
    }
  }

  function setOlder(more, cursor) {
    before = cursor;
    older.hidden = !more;
  }

  // --- commands ----------------------------------------------------------------------------

  async function command(name, payload, place) {
    const ack = await connection.send(name, payload);
    if (!ack.ok) {
      const message = (ack.error && ack.error.message) || strings.error;
      if (place) {
        let note = place.querySelector(".error");
        if (!note) { note = h("p", { class: "error", role: "alert" }); place.append(note); }
        note.textContent = message;
      }
      announce(message);
    }
    return ack;
  }

  async function react(postId, kind, on) {
    const ack = await connection.send("react", { post_id: postId, kind, on });
    if (!ack.ok) { announce((ack.error && ack.error.message) || strings.error); return; }
    const post = posts.get(postId);
    if (!post) return;
    upsert({ ...post, mine: withReaction(post.mine, kind, on) });
  }

  function saveDraft() {
    keptDraft.save(textarea.value ? { text: textarea.value, client_id: clientId } : null);
  }

  function updateCounter() {
    counter.textContent = format(strings.count, { n: [...textarea.value].length, max: maxLength });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    sending.textContent = strings.sending;
    // Offline, the post waits in the connection's outbox and goes out after the rejoin.
    const ack = await connection.send("post_message", { text: textarea.value, client_id: clientId },
                                      { retry: true });
    button.disabled = false;
    if (ack.ok) {
      sending.textContent = strings.sent;
      textarea.value = "";
      clientId = newClientId();
      keptDraft.clear();
      updateCounter();
    } else {
      sending.textContent = "";
      error.textContent = (ack.error && ack.error.message) || strings.error;
      error.hidden = false;
      if (ack.error && ack.error.code !== "timeout" && ack.error.code !== "offline") {
        clientId = newClientId();  // refused, not lost: a retry is a new post
      }
      saveDraft();
    }
  });
  textarea.addEventListener("input", () => {
    updateCounter();
    saveDraft();
    if (sending.textContent === strings.sent) sending.textContent = "";  // about the last post
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  if (draft && draft.text && !textarea.value) textarea.value = draft.text;
  updateCounter();

  older.addEventListener("click", async () => {
    older.disabled = true;
    const ack = await connection.send("load_posts", { before });
    older.disabled = false;
    if (!ack.ok) return;
    for (const post of ack.posts) upsert(post);
    setOlder(ack.more, ack.before);
  });

  if (settingsForm) {
    settingsForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const slow = Number.parseInt(settingsForm.elements.slow_seconds.value, 10);
      const ack = await command("configure_board", {
        mode: settingsForm.elements.mode.value, slow_seconds: Number.isNaN(slow) ? 0 : slow,
      }, settingsForm);
      if (ack.ok) announce(strings.saved);
    });
  }

  // --- live events -------------------------------------------------------------------------

  connection.onStatus((state) => {
    if (state === "offline" || state === "closed") {
      if (!dividerPlaced) {
        const ids = [...posts.keys()];
        dividerAfter = ids.length ? Math.max(...ids) : 0;
      }
    } else if (state === "syncing") {
      for (const node of list.querySelectorAll(".board-divider")) node.remove();
      dividerPlaced = false;
    } else if (state === "online" && !dividerPlaced) {
      dividerAfter = null;
    }
  });

  connection.onSnapshot((snapshot) => {
    const board = snapshot.board;
    if (!board) return;
    settings = { mode: board.mode, slow_seconds: board.slow_seconds };
    const keep = dividerAfter;
    posts.clear();
    list.replaceChildren();
    const shown = snapshotPosts(board);
    for (const post of [...shown.pinned, ...shown.posts]) {
      connection.revisions.newer("reactions", post.id, post.reactions_rev);
    }
    for (const post of shown.pinned) posts.set(post.id, post);
    for (const post of shown.posts) upsert(post);
    dividerAfter = keep;
    setOlder(board.more, board.before);
    renderPinned();
    renderSettings();
    empty.hidden = posts.size > 0;
    list.setAttribute("aria-busy", "false");
  });
  // A post event may carry older counts than a reaction_counts_changed already applied.
  const newest = (post) => mergeReactions(connection.revisions, posts.get(post.id), post);
  connection.on("post_published", (data) => upsert(newest(data.post), { live: true }));
  connection.on("post_hidden", (data) => upsert(newest(data.post)));
  connection.on("post_restored", (data) => upsert(newest(data.post)));
  connection.on("post_pinned", (data) => upsert(newest(data.post)));
  connection.on("post_quoted", (data) => upsert(newest(data.post)));
  connection.on("post_translated", ({ post_id: id, translations }) => {
    const post = posts.get(id);
    if (post) upsert({ ...post, translations });
  });
  connection.on("board_settings_changed", (data) => {
    settings = { mode: data.mode, slow_seconds: data.slow_seconds };
    renderSettings();
    announce(status.textContent);
  });
  function applyCounts(data) {
    for (const [id, counts] of newestCounts(connection.revisions, "reactions", data.counts,
                                            data.revs)) {
      const post = posts.get(Number(id));
      if (post) upsert({ ...post, reactions: counts, reactions_rev: data.revs?.[id] });
    }
  }
  connection.on("reaction_counts_changed", applyCounts);
  // This attendee's reaction given or taken back in another tab (or this one).
  connection.on("own_reaction_changed", ({ post_id: id, kind, on }) => {
    const post = posts.get(id);
    if (post) upsert({ ...post, mine: withReaction(post.mine, kind, on) });
  });
  // After a short drop: the counts and this attendee's reactions as they are now.
  connection.onFigures(({ board }) => {
    if (!board) return;
    applyCounts(board);
    for (const [id, post] of posts) {
      const mine = ownReactionsOf(board.my_reactions, id);
      if (!sameKinds(post.mine, mine)) upsert({ ...post, mine });
    }
  });
}
