// The console's Polls panel: drafts, open and closed polls with Launch / Close, live results
// and the moderation of open answers, and the form that writes a poll in every meeting
// language side by side. Commands go out with the connection's ack; a refusal shows the
// server's message and changes nothing shown.
import { format, plural } from "../live/data.js";
import { announce, h } from "../live/dom.js";
import { localText } from "../live/local-text.js";
import { confirmAction } from "../live/confirm-dialog.js";
import { CHOICE_KINDS, MAX_OPTIONS, pollActions, pollPayload, textByLanguage } from "./model.js";
import { localNode, resultsNode } from "./results.js";

const STATUSES = ["open", "draft", "closed"];

/** Drive the Polls panel `root`; returns `{render, results}`. */
export function consoleView({ root, store, strings, connection, languages, languageNames, agenda }) {
  const $ = (selector) => root.querySelector(selector);
  const list = $("[data-polls-list]");
  const empty = $("[data-polls-empty]");
  const notice = $("[data-polls-notice]");
  const form = $("[data-poll-form]");
  const formError = $("[data-poll-form-error]");
  const questionBox = $("[data-poll-question]");
  const optionsBox = $("[data-poll-options]");
  const addOption = $("[data-poll-add-option]");
  const rows = new Map();        // poll id -> {node, main, resultsBox, key}
  const expanded = new Set();    // closed polls whose results are unfolded
  let editing = null;            // the poll being edited, or null for a new one
  const name = (code) => languageNames[code] || code;
  for (const grid of [questionBox, optionsBox]) grid.style.setProperty("--langs", languages.length || 1);

  function showNotice(message) {
    notice.textContent = message || "";
    notice.hidden = !message;
  }

  // --- the form -------------------------------------------------------------------------------

  function languageInputs(prefix, texts, label, multiline = false) {
    return languages.map((code) => {
      const id = `${prefix}-${code}`;
      const input = h(multiline ? "textarea" : "input", {
        id, lang: code.replace("_", "-"), dataset: { lang: code },
        ...(multiline ? { rows: 2 } : { type: "text" }),
        "aria-label": label(code),
      });
      input.value = texts[code] || "";
      return h("div", { class: "poll-lang-cell" }, [input]);
    });
  }

  function headerRow() {
    return h("div", { class: "poll-lang-row poll-lang-head", "aria-hidden": "true" }, [
      h("span", { class: "poll-lang-label" }),
      ...languages.map((code) => h("span", { class: "poll-lang-name", lang: code.replace("_", "-"),
        text: name(code) })),
      h("span"),
    ]);
  }

  function drawQuestion(value) {
    const texts = textByLanguage(value, languages);
    questionBox.replaceChildren(headerRow(), h("div", { class: "poll-lang-row" }, [
      h("span", { class: "poll-lang-label", text: strings.question }),
      ...languageInputs("poll-question", texts,
        (code) => format(strings.question_in, { language: name(code) }), true),
      h("span"),
    ]));
  }

  function optionRow(texts, index) {
    const num = index + 1;
    return h("div", { class: "poll-lang-row", dataset: { option: index } }, [
      h("span", { class: "poll-lang-label", text: format(strings.option_n, { num }) }),
      ...languageInputs(`poll-option-${index}`, texts,
        (code) => format(strings.option_in, { num, language: name(code) })),
      h("button", { type: "button", class: "link-button poll-remove-option", dataset: { role: "remove" },
        "aria-label": format(strings.remove_option, { num }),
        onclick: () => removeOption(index) }, [h("span", { "aria-hidden": "true", text: "×" })]),
    ]);
  }

  function readOptions() {
    return [...optionsBox.querySelectorAll("[data-option]")].map((row) => Object.fromEntries(
      [...row.querySelectorAll("[data-lang]")].map((input) => [input.dataset.lang, input.value])));
  }

  function drawOptions(options) {
    optionsBox.replaceChildren(headerRow(), ...options.map(optionRow));
    addOption.disabled = options.length >= MAX_OPTIONS;
  }

  function removeOption(index) {
    const options = readOptions();
    options.splice(index, 1);
    drawOptions(options);
    (optionsBox.querySelector(`[data-option="${Math.min(index, options.length - 1)}"] input`)
      || addOption).focus();
  }

  addOption.addEventListener("click", () => {
    const options = readOptions();
    if (options.length >= MAX_OPTIONS) return;
    drawOptions([...options, {}]);
    optionsBox.querySelector(`[data-option="${options.length}"] input`)?.focus();
  });

  function showKindFields() {
    const kind = form.elements.kind.value;
    for (const node of form.querySelectorAll("[data-kind-field]")) {
      node.hidden = !node.dataset.kindField.split(" ").includes(kind);
    }
    $("[data-poll-options-field]").hidden = !CHOICE_KINDS.includes(kind);
  }
  form.elements.kind.addEventListener("change", showKindFields);

  function openForm(poll = null) {
    editing = poll;
    form.reset();
    formError.textContent = "";
    formError.hidden = true;
    $("[data-poll-form-title]").textContent = poll ? strings.edit_poll : strings.new_poll;
    const agendaSelect = form.elements.agenda_item_id;
    agendaSelect.replaceChildren(h("option", { value: "", text: strings.no_agenda_item }),
      ...agenda.map((item) => h("option", { value: item.id, text: localText(item.title) })));
    if (poll) {
      form.elements.kind.value = poll.kind;
      form.elements.results.value = poll.results || "live";
      form.elements.anonymous.checked = Boolean(poll.anonymous);
      form.elements.max_choices.value = poll.max_choices ?? "";
      form.elements.scale.value = poll.scale || "stars5";
      agendaSelect.value = poll.agenda_item_id ?? "";
    }
    form.elements.kind.disabled = Boolean(poll);
    drawQuestion(poll ? poll.question : null);
    drawOptions(poll && poll.options?.length
      ? poll.options.map((option) => textByLanguage(option, languages)) : [{}, {}]);
    showKindFields();
    form.hidden = false;
    form.elements.kind.focus();
  }

  function closeForm() {
    form.hidden = true;
    editing = null;
    $("[data-poll-new]").focus();
  }

  $("[data-poll-new]").addEventListener("click", () => openForm());
  $("[data-poll-cancel]").addEventListener("click", closeForm);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = Object.fromEntries([...questionBox.querySelectorAll("[data-lang]")]
      .map((input) => [input.dataset.lang, input.value]));
    const { payload, errors } = pollPayload({
      kind: form.elements.kind.value, question, options: readOptions(),
      max_choices: form.elements.max_choices.value, scale: form.elements.scale.value,
      results: form.elements.results.value, anonymous: form.elements.anonymous.checked,
      agenda_item_id: form.elements.agenda_item_id.value,
    }, languages);
    if (errors.length) {
      formError.textContent = errors.map((error) => format(strings[error.key], error.params)).join(" ");
      formError.hidden = false;
      const field = errors[0].field;
      (field === "question" ? questionBox.querySelector("[data-lang]")
        : field === "options" ? optionsBox.querySelector("[data-lang]")
          : form.elements[field])?.focus();
      return;
    }
    const ack = editing
      ? await connection.send("update_poll", { poll_id: editing.id, version: editing.version, ...payload })
      : await connection.send("create_poll", payload);
    if (!ack.ok) {
      formError.textContent = ack.error?.code === "conflict" ? strings.conflict
        : ack.error?.message || strings.retry;
      formError.hidden = false;
      return;
    }
    store.applyPoll(ack.poll);
    render();
    announce(strings.saved);
    closeForm();
  });

  // --- the list -------------------------------------------------------------------------------

  async function act(poll, action) {
    if (action === "edit") { openForm(poll); return; }
    if (action === "delete" && !(await confirmAction({ title: strings.delete_confirm,
      message: strings.delete_message, action: strings.delete }))) return;
    const command = { open: "open_poll", close: "close_poll", delete: "delete_poll" }[action];
    const ack = await connection.send(command, { poll_id: poll.id });
    if (!ack.ok) { showNotice(ack.error?.message || strings.retry); return; }
    showNotice("");
    if (action === "delete") store.remove(poll.id); else store.applyPoll(ack.poll);
    render();
    announce(strings[`done_${action}`] || strings.saved);
  }

  function actionLabel(poll, action) {
    if (action === "open") return poll.status === "closed" ? strings.reopen : strings.launch;
    return strings[action];
  }

  async function moderate(poll, answer, shown) {
    const ack = await connection.send("moderate_poll_answer",
      { poll_id: poll.id, answer_id: answer.id, shown });
    if (!ack.ok) { showNotice(ack.error?.message || strings.retry); return; }
    store.applyModeration({ poll_id: poll.id, answer_id: answer.id, shown });
    const entry = rows.get(poll.id);
    drawResults(poll, entry);
    // the buttons were drawn again: keep the keyboard on the same answer
    entry?.resultsBox.querySelector(`[data-answer-id="${answer.id}"] button`)?.focus();
  }

  function moderationButtons(poll) {
    return (answer) => {
      const status = answer.status || "shown";
      return h("p", { class: "poll-moderation" }, [
        status !== "shown" ? h("button", { type: "button", class: "button", text: strings.show_answer,
          onclick: () => moderate(poll, answer, true) }) : null,
        status !== "hidden" ? h("button", { type: "button", class: "button danger",
          text: strings.hide_answer, onclick: () => moderate(poll, answer, false) }) : null,
      ]);
    };
  }

  function drawResults(poll, entry) {
    if (!entry) return;
    if (poll.status === "draft") { entry.resultsBox.replaceChildren(); return; }
    const results = store.staffResults(poll.id);
    const body = resultsNode(poll, results, strings,
      { moderate: poll.kind === "open_text" ? moderationButtons(poll) : null });
    if (poll.status === "open") { entry.resultsBox.replaceChildren(body); return; }
    const details = h("details", { open: expanded.has(poll.id) }, [
      h("summary", { text: strings.results }), body]);
    details.addEventListener("toggle", () => {
      if (details.open) expanded.add(poll.id); else expanded.delete(poll.id);
    });
    entry.resultsBox.replaceChildren(details);
  }

  function rowMain(poll) {
    const count = store.results.get(poll.id)?.total ?? poll.answer_count ?? 0;
    return [
      localNode("h3", { class: "poll-row-question" }, poll.question),
      h("p", { class: "poll-row-meta" }, [
        h("span", { class: `tag poll-status-${poll.status}`, text: strings[`status_${poll.status}`] }),
        h("span", { text: (strings.kinds || {})[poll.kind] || poll.kind }),
        poll.status !== "draft" ? h("span", { text: plural(strings, "answers", count) }) : null,
      ]),
      h("p", { class: "poll-row-actions" }, [
        ...pollActions(poll.status).map((action) => h("button", {
          type: "button", class: `button${action === "open" ? " primary" : ""}${action === "delete" ? " danger" : ""}`,
          dataset: { role: action }, text: actionLabel(poll, action), onclick: () => act(poll, action),
        })),
        poll.status !== "draft" && strings.csv_url
          ? h("a", { class: "button", href: format(strings.csv_url, { id: poll.id }), download: "",
            text: strings.csv }) : null,
      ]),
    ];
  }

  function render() {
    const active = document.activeElement;
    const focusRow = active && list.contains(active) ? active.closest("[data-poll-id]") : null;
    const marker = focusRow ? { id: focusRow.dataset.pollId, role: active.dataset.role } : null;
    const polls = STATUSES.flatMap((status) => store.list([status]));
    const wanted = new Set(polls.map((poll) => poll.id));
    for (const [id, entry] of rows) if (!wanted.has(id)) { entry.node.remove(); rows.delete(id); }
    polls.forEach((poll, index) => {
      let entry = rows.get(poll.id);
      if (!entry) {
        entry = { main: h("div", { class: "poll-row-main" }), resultsBox: h("div") };
        entry.node = h("li", { class: "poll-row", dataset: { pollId: poll.id } },
          [entry.main, entry.resultsBox]);
        rows.set(poll.id, entry);
      }
      const key = JSON.stringify([poll.status, poll.version, poll.question, poll.answer_count]);
      if (entry.key !== key) {
        entry.key = key;
        entry.node.className = `poll-row is-${poll.status}`;
        entry.main.replaceChildren(...rowMain(poll));
      }
      drawResults(poll, entry);
      if (list.children[index] !== entry.node) list.insertBefore(entry.node, list.children[index] || null);
    });
    empty.hidden = polls.length > 0;
    if (marker && !list.contains(document.activeElement)) {
      const row = list.querySelector(`[data-poll-id="${marker.id}"]`);
      (row?.querySelector(`[data-role="${marker.role}"]`) || row?.querySelector("button")
        || $("[data-poll-new]")).focus();
    }
  }

  return {
    render,
    results(ids) {
      for (const id of ids) {
        const poll = store.polls.get(id);
        const entry = rows.get(id);
        if (!poll || !entry) continue;
        drawResults(poll, entry);
        entry.main.querySelector(".poll-row-meta")?.replaceWith(rowMain(poll)[1]);
      }
    },
  };
}
