// The attendee's poll cards: one per open poll (and per closed one whose results are shown),
// above the questions. A card's form is drawn again only when the poll or my answer changes,
// never for new results, so nothing typed or chosen is lost while others answer.
import { format, newClientId, plural } from "../live/data.js";
import { announce, h } from "../live/dom.js";
import { localText } from "../live/local-text.js";
import {
  answerFromForm, choicesFull, initialOrder, MAX_WORDS, rankingMove, ratingValues, resultsVisible,
  TEXT_LENGTH, validateAnswer, WORD_LENGTH,
} from "./model.js";
import { localNode, resultsNode } from "./results.js";

/** Open polls first (organisers' order), then closed ones, the last closed first. */
export function attendeePolls(store) {
  const open = store.list(["open"]);
  const closed = store.list(["closed"]).filter((poll) => resultsVisible(poll) &&
    store.results.has(poll.id))
    .sort((a, b) => String(b.closed_at || "").localeCompare(String(a.closed_at || "")));
  return [...open, ...closed];
}

/** Draw the attendee's cards into `root`'s `[data-polls-list]`; returns `{render}`. */
export function attendeeView({ root, store, strings, connection }) {
  const list = root.querySelector("[data-polls-list]");
  const canAnswer = root.dataset.canAnswer === "true";
  const cards = new Map();      // poll id -> {node, formBox, resultsBox, status, key}
  const editing = new Set();    // poll ids whose answer is being changed
  const order = new Map();      // poll id -> ranking order being arranged

  function optionText(poll, index) {
    return localText((poll.options || [])[index]);
  }

  function mineNode(poll, value) {
    let body;
    switch (poll.kind) {
      case "single": body = h("p", { text: optionText(poll, value.choice) }); break;
      case "multiple":
        body = h("ul", {}, (value.choices || []).map((i) => h("li", { text: optionText(poll, i) })));
        break;
      case "rating":
        body = h("p", { text: poll.scale === "scale10" ? String(value.rating)
          : plural(strings, "stars", value.rating) });
        break;
      case "word_cloud":
        body = h("ul", {}, (value.words || []).map((word) => h("li", { text: word })));
        break;
      case "open_text": body = h("p", { class: "poll-mine-text", text: value.text }); break;
      default:
        body = h("ol", {}, (value.order || []).map((i) => h("li", { text: optionText(poll, i) })));
    }
    return h("div", { class: "poll-mine" }, [
      h("p", { class: "poll-sent" }, [h("span", { "aria-hidden": "true", text: "✓ " }),
        strings.your_answer]),
      body,
    ]);
  }

  function choiceInputs(poll, type, chosen, disabled) {
    const name = `poll-${poll.id}`;
    return (poll.options || []).map((option, index) => {
      const id = `${name}-option-${index}`;
      return h("div", { class: "poll-choice" }, [
        h("input", { type, id, name, value: index, disabled,
          checked: type === "radio" ? chosen === index : chosen.includes(index) }),
        localNode("label", { for: id }, option),
      ]);
    });
  }

  function multipleLimit(form, poll, status) {
    const boxes = [...form.querySelectorAll('input[type="checkbox"]')];
    const update = (announceIt) => {
      const full = choicesFull(poll, boxes.filter((box) => box.checked).length);
      for (const box of boxes) box.disabled = !canAnswer || (full && !box.checked);
      if (full && announceIt) status.textContent = plural(strings, "max_reached", poll.max_choices);
      else if (announceIt) status.textContent = "";
    };
    form.addEventListener("change", () => update(true));
    update(false);
  }

  function ratingInputs(poll, chosen, disabled) {
    const name = `poll-${poll.id}`;
    const stars = poll.scale !== "scale10";
    const group = h("div", { class: stars ? "poll-stars" : "poll-scale" },
      ratingValues(poll.scale).map((value) => {
        const id = `${name}-rating-${value}`;
        return h("span", { class: "poll-rating-choice" }, [
          h("input", { type: "radio", id, name, value, disabled, checked: chosen === value }),
          h("label", { for: id }, stars
            ? [h("span", { "aria-hidden": "true", text: "★" }),
              h("span", { class: "visually-hidden", text: plural(strings, "stars", value) })]
            : [String(value)]),
        ]);
      }));
    if (stars) {
      const paint = () => {
        const checked = Number(group.querySelector("input:checked")?.value ?? 0);
        for (const label of group.querySelectorAll("label")) {
          label.classList.toggle("is-on", Number(label.htmlFor.split("-").pop()) <= checked);
        }
      };
      group.addEventListener("change", paint);
      paint();
    }
    return group;
  }

  function rankingList(poll, disabled) {
    const listNode = h("ol", { class: "poll-ranking" });
    const draw = (focus = null) => {
      const current = order.get(poll.id);
      listNode.replaceChildren(...current.map((optionIndex, position) => {
        const text = optionText(poll, optionIndex);
        const move = (delta, role) => h("button", {
          type: "button", class: "poll-move", dataset: { role },
          "aria-label": format(strings[role === "up" ? "move_up" : "move_down"], { option: text }),
          "aria-disabled": disabled || (delta < 0 ? position === 0 : position === current.length - 1)
            ? "true" : null,
          onclick: () => {
            if (disabled) return;
            const next = rankingMove(current, position, delta);
            if (next.every((value, i) => value === current[i])) return;
            order.set(poll.id, next);
            draw({ option: optionIndex, role });
            status(poll).textContent = format(strings.moved_to,
              { option: text, num: next.indexOf(optionIndex) + 1, total: next.length });
          },
        }, [h("span", { "aria-hidden": "true", text: delta < 0 ? "↑" : "↓" })]);
        return h("li", { class: "poll-rank", dataset: { option: optionIndex } }, [
          h("span", { class: "poll-rank-number", "aria-hidden": "true", text: String(position + 1) }),
          localNode("span", { class: "poll-rank-text" }, (poll.options || [])[optionIndex]),
          h("span", { class: "poll-rank-moves" }, [move(-1, "up"), move(1, "down")]),
        ]);
      }));
      if (focus) {
        listNode.querySelector(`[data-option="${focus.option}"] [data-role="${focus.role}"]`)?.focus();
      }
    };
    draw();
    return listNode;
  }

  function readForm(poll, form) {
    const checked = [...form.querySelectorAll("input:checked")].map((input) => input.value);
    return answerFromForm(poll.kind, {
      choice: checked[0], choices: checked, rating: checked[0],
      words: [...form.querySelectorAll('input[type="text"]')].map((input) => input.value),
      text: form.querySelector("textarea")?.value,
      order: order.get(poll.id),
    });
  }

  function formNode(poll, mine) {
    const disabled = !canAnswer;
    const questionId = `poll-${poll.id}-question`;
    const hintId = `poll-${poll.id}-hint`;
    let fields;
    let hint = null;
    switch (poll.kind) {
      case "single": fields = choiceInputs(poll, "radio", mine?.choice, disabled); break;
      case "multiple":
        hint = h("p", { class: "hint", id: hintId,
          text: plural(strings, "choose_up_to", poll.max_choices || (poll.options || []).length) });
        fields = choiceInputs(poll, "checkbox", mine?.choices || [], disabled);
        break;
      case "rating": fields = [ratingInputs(poll, mine?.rating, disabled)]; break;
      case "word_cloud":
        hint = h("p", { class: "hint", id: hintId, text: strings.words_hint });
        fields = Array.from({ length: MAX_WORDS }, (_, i) => {
          const id = `poll-${poll.id}-word-${i}`;
          return h("div", { class: "field" }, [
            h("label", { for: id, text: format(strings.word_n, { num: i + 1 }) }),
            h("input", { type: "text", id, maxlength: WORD_LENGTH, disabled, autocomplete: "off",
              value: (mine?.words || [])[i] || "" }),
          ]);
        });
        break;
      case "open_text": {
        const id = `poll-${poll.id}-text`;
        const counter = h("p", { class: "hint poll-counter", id: `${id}-count` });
        const area = h("textarea", { id, maxlength: TEXT_LENGTH, rows: 4, disabled,
          "aria-describedby": `${id}-count`, "aria-labelledby": questionId });
        area.value = mine?.text || "";
        const count = () => {
          counter.textContent = format(strings.count, { n: [...area.value].length, max: TEXT_LENGTH });
        };
        area.addEventListener("input", count);
        count();
        fields = [h("div", { class: "field" }, [area, counter])];
        break;
      }
      default:
        if (!order.has(poll.id)) order.set(poll.id, initialOrder(poll, mine));
        hint = h("p", { class: "hint", id: hintId, text: strings.ranking_hint });
        fields = [rankingList(poll, disabled)];
    }
    const form = h("form", { class: "poll-form", novalidate: true }, [
      h("fieldset", { "aria-describedby": hint ? hintId : null }, [
        h("legend", { class: "visually-hidden", text: localText(poll.question) }),
        hint,
        ...fields,
      ]),
      canAnswer
        ? h("p", { class: "poll-buttons" }, [
          h("button", { type: "submit", class: "button primary", text: strings.submit }),
          mine ? h("button", { type: "button", class: "button", text: strings.cancel,
            onclick: () => { editing.delete(poll.id); order.delete(poll.id); render(); } }) : null,
        ])
        : h("p", { class: "muted", text: strings.cannot_answer }),
    ]);
    if (poll.kind === "multiple") multipleLimit(form, poll, status(poll));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(poll, form);
    });
    return form;
  }

  function status(poll) {
    return cards.get(poll.id)?.status || h("p");
  }

  async function submit(poll, form) {
    const value = readForm(poll, form);
    const problem = validateAnswer(poll, value);
    const line = status(poll);
    if (problem) {
      line.textContent = format(strings[problem.key], problem.params);
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    line.textContent = strings.sending;
    const ack = await connection.send("answer_poll",
      { poll_id: poll.id, client_id: newClientId(), value }, { retry: true });
    if (ack.error?.code === "superseded") return;
    if (!ack.ok) {
      button.disabled = false;
      line.textContent = ack.error?.message || strings.retry;
      return;
    }
    store.applyAnswer(poll.id, ack.answer || { value });
    editing.delete(poll.id);
    order.delete(poll.id);
    render();
    const sent = ack.answer?.status === "pending" ? strings.sent_pending : strings.sent;
    status(poll).textContent = sent;
    announce(sent);
  }

  function formArea(poll) {
    const mine = store.myAnswers.get(poll.id);
    if (poll.status !== "open") {
      return [mine ? mineNode(poll, mine) : null,
        h("p", { class: "poll-closed muted", text: strings.poll_closed })];
    }
    if (mine && !editing.has(poll.id)) {
      return [mineNode(poll, mine), h("p", { class: "poll-buttons" }, [
        h("button", { type: "button", class: "button", dataset: { role: "change" },
          text: strings.change_answer,
          onclick: () => {
            editing.add(poll.id);
            render();
            cards.get(poll.id)?.formBox.querySelector("input, textarea, button")?.focus();
          } }),
      ])];
    }
    return [formNode(poll, mine)];
  }

  function card(poll) {
    const questionId = `poll-${poll.id}-question`;
    const entry = {
      formBox: h("div", { class: "poll-form-box" }),
      resultsBox: h("div", { class: "poll-results-box" }),
      status: h("p", { class: "poll-status", role: "status" }),
      heading: localNode("h2", { class: "poll-question", id: questionId }, poll.question),
      key: null,
    };
    entry.badge = h("p", { class: "poll-eyebrow" });
    entry.node = h("article", { class: "poll-card", "aria-labelledby": questionId,
      dataset: { pollId: poll.id } },
    [entry.badge, entry.heading, entry.formBox, entry.status, entry.resultsBox]);
    return entry;
  }

  function render() {
    const polls = attendeePolls(store);
    const wanted = new Set(polls.map((poll) => poll.id));
    for (const [id, entry] of cards) {
      if (!wanted.has(id)) { entry.node.remove(); cards.delete(id); editing.delete(id); }
    }
    polls.forEach((poll, index) => {
      let entry = cards.get(poll.id);
      if (!entry) {
        entry = card(poll);
        cards.set(poll.id, entry);
        if (poll.status === "open") announce(format(strings.announce_open, { question: localText(poll.question) }));
      }
      const mine = store.myAnswers.get(poll.id);
      const key = JSON.stringify([poll.status, poll.version, editing.has(poll.id), mine ?? null]);
      if (entry.key !== key) {
        entry.key = key;
        entry.heading.replaceWith(entry.heading = localNode("h2",
          { class: "poll-question", id: `poll-${poll.id}-question` }, poll.question));
        entry.badge.replaceChildren(...[strings.poll, poll.status === "closed"
          ? h("span", { class: "tag", text: strings.status_closed }) : null].filter(Boolean));
        entry.node.classList.toggle("is-closed", poll.status === "closed");
        entry.formBox.replaceChildren(...formArea(poll).filter(Boolean));
        entry.status.textContent = "";
      }
      showResults(poll, entry);
      if (list.children[index] !== entry.node) list.insertBefore(entry.node, list.children[index] || null);
    });
    root.hidden = polls.length === 0;
  }

  function showResults(poll, entry) {
    const results = resultsVisible(poll) ? store.results.get(poll.id) : null;
    entry.resultsBox.replaceChildren(...(results ? [
      h("h3", { class: "poll-results-heading", text: strings.results }), resultsNode(poll, results, strings),
    ] : []));
  }

  return {
    render,
    results(ids) {
      for (const id of ids) {
        const entry = cards.get(id);
        const poll = store.polls.get(id);
        if (entry && poll) showResults(poll, entry); else render();
      }
    },
  };
}
