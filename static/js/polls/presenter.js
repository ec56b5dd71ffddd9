// The presenter's polls: every open poll takes the main area with its results growing live
// (bars, the word cloud, a rating's average and distribution), each with a hidden table for
// screen readers. Read-only, like the rest of the presenter screen.
import { format } from "../live/data.js";
import { announce, h } from "../live/dom.js";
import { localText } from "../live/local-text.js";
import { localNode, resultsNode } from "./results.js";

/** Draw the open polls into `root`'s `[data-polls-list]`; returns `{render, results}`. */
export function presenterView({ root, store, strings }) {
  const list = root.querySelector("[data-polls-list]");
  const screen = root.closest(".presenter-screen");
  const shown = new Map();   // poll id -> {node, resultsBox}

  function render() {
    const polls = store.list(["open"]);
    const wanted = new Set(polls.map((poll) => poll.id));
    for (const [id, entry] of shown) if (!wanted.has(id)) { entry.node.remove(); shown.delete(id); }
    polls.forEach((poll, index) => {
      let entry = shown.get(poll.id);
      if (!entry) {
        const headingId = `presenter-poll-${poll.id}`;
        entry = { resultsBox: h("div", { class: "presenter-poll-results" }) };
        entry.node = h("article", { class: "presenter-poll", "aria-labelledby": headingId,
          dataset: { pollId: poll.id } }, [
          localNode("h3", { class: "presenter-poll-question", id: headingId }, poll.question),
          entry.resultsBox,
        ]);
        shown.set(poll.id, entry);
        announce(format(strings.announce_open, { question: localText(poll.question) }));
      }
      draw(poll, entry);
      if (list.children[index] !== entry.node) list.insertBefore(entry.node, list.children[index] || null);
    });
    root.hidden = polls.length === 0;
    if (screen) screen.classList.toggle("has-poll", polls.length > 0);
  }

  function draw(poll, entry) {
    entry.resultsBox.replaceChildren(resultsNode(poll, store.results.get(poll.id), strings));
  }

  return {
    render,
    results(ids) {
      for (const id of ids) {
        const entry = shown.get(id);
        const poll = store.polls.get(id);
        if (entry && poll) draw(poll, entry);
      }
    },
  };
}
