// The moderator console: queue, selected question, now answering and settings, all live.
// Text being typed (answer, edit) is never re-rendered: other moderators' changes update the
// read-only parts around it, and a `conflict` ack only adds a notice.
import { openLivePage } from "./live-page.js";
import { agendaChoices, replaceChoices } from "./live/agenda.js";
import { format, plural, readJSON } from "./live/data.js";
import { mergeVotes, newestCounts } from "./live/order.js";
import { MergePicker } from "./qa/merge.js";
import { missingLanguages } from "./live/translated.js";
import { announce, h } from "./live/dom.js";
import { keptSetting } from "./live/kept.js";
import { serverOffset } from "./live/clock-rules.js";
import { tabKeyTarget } from "./live/tabs.js";
import { confirmAction } from "./live/confirm-dialog.js";
import {
  agendaIndex, bindStatusBanner, byPopularity, langAttr, languageBadge, moveUpNext, moveUpNextTo,
  orderChanged, timerLine, toggleUpNext, updateTimers,
} from "./qa/common.js";

const root = document.getElementById("qa-console");
const strings = readJSON(root, "strings");
let agenda = agendaIndex(readJSON(root, "agenda", []));
const countries = readJSON(root, "countries", {});   // code -> name in the page's language
const meetingLanguages = readJSON(root, "languages", []);
const STATUSES = ["pending", "live", "answered", "dismissed", "archived"];

const state = {
  questions: new Map(),
  counts: {},
  tab: "pending",
  search: "",
  filters: { item: "", language: "", label: "" },
  sort: "oldest",
  selectedId: null,
  bulk: new Set(),
  drafts: new Map(),   // question id -> {answer, edit}: what I typed, per question
  people: new Map(),   // registration id -> {name, muted, banned}
  upNext: [],          // question ids in the moderators' "up next" order (server state)
  offset: 0,           // server clock minus this browser's, from the snapshot's clock
};

const $ = (id) => document.getElementById(id);
const queue = $("queue-list");
const notice = $("console-notice");

function showNotice(message) {
  notice.textContent = message;
  notice.hidden = !message;
  window.clearTimeout(showNotice.timer);
  if (message) showNotice.timer = window.setTimeout(() => { notice.hidden = true; }, 8000);
}

// --- queue ------------------------------------------------------------------------------------

function matches(question) {
  if (question.status !== state.tab) return false;
  const { item, language, label } = state.filters;
  if (item && String(question.agenda_item_id ?? "") !== item) return false;
  if (language && question.language !== language) return false;
  if (label && !(question.labels || []).includes(label)) return false;
  if (state.search) {
    const needle = state.search.toLocaleLowerCase();
    const haystack = [question.text, question.author?.name, question.author?.organisation,
      question.answer].filter(Boolean).join(" ").toLocaleLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

const byTime = (a, b) => (a.created_at || "").localeCompare(b.created_at || "") || a.id - b.id;
const SORTERS = {
  oldest: byTime,
  recent: (a, b) => byTime(b, a),
  popular: byPopularity,
  starred: (a, b) => Number(b.starred) - Number(a.starred) || byTime(a, b),
};

function visibleQuestions() {
  return [...state.questions.values()].filter(matches).sort(SORTERS[state.sort] || byTime);
}

/**
 * Votes moved the popular order: re-sort the queue in place. The selected row stays selected
 * (rows are drawn from `selectedId`), keeps the focus, and is scrolled back into view.
 */
function resortByVotes() {
  if (state.sort !== "popular") return;
  const rows = [...queue.querySelectorAll(":scope > .queue-row")].map((row) => row.dataset.id);
  if (!orderChanged(rows, visibleQuestions())) return;
  renderQueue();
  queue.querySelector(".queue-row.selected")?.scrollIntoView({ block: "nearest" });
}

function authorText(question) {
  if (!question.author) return strings.staff_question;
  const parts = [question.author.name];
  if (question.author.organisation) parts.push(question.author.organisation);
  if (question.author.country) parts.push(countries[question.author.country] || question.author.country);
  return parts.join(" · ");
}

function queueRow(question) {
  const selected = question.id === state.selectedId;
  const checkId = `bulk-${question.id}`;
  return h("li", { class: `queue-row${selected ? " selected" : ""}${question.highlighted ? " highlighted" : ""}`,
    dataset: { id: question.id } }, [
    h("input", { type: "checkbox", id: checkId, checked: state.bulk.has(question.id),
      dataset: { role: "bulk" },
      onchange: (event) => {
        if (event.target.checked) state.bulk.add(question.id); else state.bulk.delete(question.id);
        updateBulk();
      } }),
    h("label", { for: checkId, class: "visually-hidden", text: question.text.slice(0, 80) }),
    h("button", { type: "button", class: "queue-select", "aria-current": selected ? "true" : null,
      dataset: { role: "select" }, onclick: () => select(question.id) }, [
      h("span", { class: "queue-text", lang: langAttr(question.language), text: question.text }),
      h("span", { class: "queue-meta" }, [
        h("span", { class: "queue-number", text: `#${question.id}` }),
        h("span", { text: authorText(question) }),
        question.anonymous ? h("span", { class: "tag", text: strings.anonymous }) : null,
        h("span", { class: "tag", text: languageBadge(question.language) }),
        question.starred ? h("span", { class: "tag tag-star", text: `★ ${strings.starred}` }) : null,
        question.highlighted ? h("span", { class: "tag tag-now", text: strings.now_answering }) : null,
        state.upNext.includes(question.id)
          ? h("span", { class: "tag tag-next",
            text: `${strings.up_next} ${state.upNext.indexOf(question.id) + 1}` }) : null,
        h("span", { class: "queue-votes", text: plural(strings, "votes", question.votes ?? 0) }),
      ]),
    ]),
  ]);
}

function renderQueue() {
  const active = document.activeElement;
  const activeRow = active && active.closest ? active.closest(".queue-row") : null;
  const marker = activeRow && queue.contains(activeRow)
    ? { id: activeRow.dataset.id, role: active.dataset.role,
      index: [...queue.children].indexOf(activeRow) } : null;
  const rows = visibleQuestions();
  queue.replaceChildren(...rows.map(queueRow));
  queue.setAttribute("aria-busy", "false");
  $("queue-empty").hidden = rows.length > 0;
  if (marker) {
    const same = queue.querySelector(`.queue-row[data-id="${CSS.escape(marker.id)}"] [data-role="${marker.role}"]`);
    // The row left the list (answered, approved…): the next row takes the focus, else the
    // previous one, else the list itself.
    const near = queue.children[Math.min(marker.index, queue.children.length - 1)];
    const target = same || near?.querySelector(".queue-select") || queue;
    target.focus({ preventScroll: !same && !near });
  }
  updateBulk();
}

function renderCounts() {
  for (const status of STATUSES) {
    const node = document.querySelector(`[data-count="${status}"]`);
    if (node) node.textContent = String(state.counts[status] ?? 0);
  }
}

function recount() {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const question of state.questions.values()) {
    if (question.status in counts) counts[question.status] += 1;
  }
  state.counts = counts;
}

function renderLabels() {
  const known = new Set();
  for (const question of state.questions.values()) for (const l of question.labels || []) known.add(l);
  const sorted = [...known].sort();
  const select = $("queue-label");
  const current = select.value;
  select.replaceChildren(select.options[0], ...sorted.map((l) => h("option", { value: l, text: l })));
  select.value = known.has(current) ? current : "";
  $("known-labels").replaceChildren(...sorted.map((l) => h("option", { value: l })));
}

function updateBulk() {
  for (const id of [...state.bulk]) {
    const question = state.questions.get(id);
    if (!question || !matches(question)) state.bulk.delete(id);
  }
  const shown = visibleQuestions();
  $("bulk-approve").disabled = state.bulk.size === 0 || state.tab !== "pending";
  $("bulk-dismiss").disabled = state.bulk.size === 0;
  const all = $("bulk-all");
  all.checked = shown.length > 0 && shown.every((q) => state.bulk.has(q.id));
  all.indeterminate = state.bulk.size > 0 && !all.checked;
}

function selectTab(status, focus = false) {
  state.tab = status;
  for (const tab of document.querySelectorAll(".queue-tabs [role=tab]")) {
    const on = tab.dataset.status === status;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
    if (on) {
      $("queue-panel").setAttribute("aria-labelledby", tab.id);
      if (focus) tab.focus();
    }
  }
  state.bulk.clear();
  renderQueue();
}

const tabButtons = [...document.querySelectorAll(".queue-tabs [role=tab]")];
for (const [index, tab] of tabButtons.entries()) {
  tab.addEventListener("click", () => selectTab(tab.dataset.status));
  tab.addEventListener("keydown", (event) => {
    const target = tabKeyTarget(event.key, index, tabButtons.length);
    if (target === null) return;
    event.preventDefault();
    selectTab(tabButtons[target].dataset.status, true);
  });
}
$("queue-search").addEventListener("input", (event) => { state.search = event.target.value; renderQueue(); });
$("queue-sort").addEventListener("change", (event) => { state.sort = event.target.value; renderQueue(); });
for (const [key, id] of [["item", "queue-item"], ["language", "queue-language"], ["label", "queue-label"]]) {
  $(id).addEventListener("change", (event) => { state.filters[key] = event.target.value; renderQueue(); });
}
$("bulk-all").addEventListener("change", (event) => {
  for (const question of visibleQuestions()) {
    if (event.target.checked) state.bulk.add(question.id); else state.bulk.delete(question.id);
  }
  renderQueue();
});

// --- selected question ------------------------------------------------------------------------

function saveDrafts() {
  if (state.selectedId === null) return;
  state.drafts.set(state.selectedId, {
    answer: $("answer-text").value,
    edit: $("detail-edit").hidden ? null : $("detail-edit-text").value,
  });
}

function select(id, { focusRow = false } = {}) {
  if (id !== state.selectedId) {
    saveDrafts();
    state.selectedId = id;
    const question = state.questions.get(id);
    const draft = state.drafts.get(id);
    $("answer-text").value = draft?.answer ?? question?.answer ?? "";
    const editing = draft && draft.edit !== null && draft.edit !== undefined;
    $("detail-edit").hidden = !editing;
    $("detail-edit-text").value = editing ? draft.edit : "";
  }
  renderQueue();
  renderDetail();
  if (focusRow) {
    const row = queue.querySelector(`.queue-row[data-id="${id}"] .queue-select`);
    row?.focus();
    row?.scrollIntoView({ block: "nearest" });
  }
}

function statusText(question) {
  const label = strings[`tab_${question.status}`] || question.status;
  if (question.status === "dismissed") {
    const reason = strings[`reason_${question.dismiss_reason}`] || strings.reason_other;
    const note = question.dismiss_note ? ` · ${question.dismiss_note}` : "";
    return `${format(strings.dismissed_reason, { reason })}${note}`;
  }
  return label;
}

/** The question's translations and the meeting languages it still lacks (edited on the
 * translation console). */
function translationFacts(question) {
  if (meetingLanguages.length < 2) return ["—"];
  const names = strings.language_names || {};
  const have = Object.entries(question.translations || {}).map(([code, entry]) =>
    h("p", { class: "detail-translation" }, [
      h("span", { class: "tag", text: names[code] || code }), " ",
      h("span", { lang: langAttr(code), text: entry.text }),
      entry.machine ? h("span", { class: "machine-note", text: ` · ${strings.machine_translation}` })
        : null,
    ]));
  const missing = missingLanguages(meetingLanguages, question.language, question.translations);
  const lacking = missing.length
    ? h("p", { class: "translation-missing" }, [strings.missing, " ",
      ...missing.map((code) => h("span", { class: "tag tag-missing", text: names[code] || code }))])
    : h("p", { class: "muted", text: strings.complete });
  return [...have, lacking];
}

function renderDetail() {
  const question = state.questions.get(state.selectedId);
  $("detail").hidden = !question;
  $("detail-empty").hidden = Boolean(question);
  if (!question) { mergePicker.close(); return; }
  $("detail-status").textContent = statusText(question);
  const text = $("detail-text");
  text.textContent = question.text;
  text.lang = langAttr(question.language) || "";
  $("detail-original").hidden = !question.original_text;
  $("detail-original-text").textContent = question.original_text || "";
  $("detail-translations").replaceChildren(...translationFacts(question));
  const author = $("detail-author");
  author.replaceChildren(...[authorText(question),
    question.anonymous ? h("span", { class: "tag", text: strings.anonymous_to_others }) : null,
    question.author?.muted ? h("span", { class: "tag", text: strings.muted_badge }) : null,
  ].filter(Boolean));
  const item = question.agenda_item_id ? agenda.items.get(question.agenda_item_id) : null;
  const speaker = question.speaker_id ? agenda.speakers.get(question.speaker_id) : null;
  $("detail-item").textContent = item ? (speaker ? `${item} · ${speaker}` : item) : strings.general;
  $("detail-language").textContent = languageBadge(question.language);
  $("detail-votes").textContent = String(question.votes ?? 0);
  renderAuthorActions(question);
  renderActionButtons(question);
  $("detail-labels").replaceChildren(...(question.labels || []).map((label) => h("li", {}, [
    h("span", { class: "tag tag-label", text: label }),
    h("button", { type: "button", class: "link-button", text: "×",
      "aria-label": format(strings.remove_label, { label }),
      onclick: () => command("set_labels", question, {
        labels: (question.labels || []).filter((l) => l !== label) }) }),
  ])));
  renderSimilar(question);
  mergePicker.refresh(question, [...state.questions.values()]);
}

function renderActionButtons(question) {
  const allowed = {
    approve: question.status === "pending",
    highlight: ["live", "answered"].includes(question.status),
    up_next: question.status === "live" && !question.highlighted,
    answered: ["live"].includes(question.status),
    edit: !["archived"].includes(question.status),
    star: ["pending", "live", "answered"].includes(question.status),
    dismiss: ["pending", "live", "answered"].includes(question.status),
    restore: ["dismissed", "archived", "answered"].includes(question.status),
    archive: question.status !== "archived",
    merge: question.status !== "withdrawn",
  };
  for (const button of document.querySelectorAll(".detail-actions [data-action]")) {
    const action = button.dataset.action;
    button.hidden = !allowed[action];
    if (action === "highlight") {
      button.firstChild.textContent = `${question.highlighted ? strings.unhighlight : strings.highlight} `;
    }
    if (action === "up_next") {
      button.firstChild.textContent = `${state.upNext.includes(question.id)
        ? strings.remove_up_next : strings.add_up_next} `;
    }
    if (action === "star") {
      button.setAttribute("aria-pressed", question.starred ? "true" : "false");
    }
  }
}

function renderAuthorActions(question) {
  const box = $("detail-author-actions");
  const registrationId = question.registration_id;
  if (!registrationId || !question.author) { box.replaceChildren(); return; }
  const person = state.people.get(registrationId) || { name: question.author.name,
    muted: question.author.muted, banned: false };
  const focused = [...box.children].indexOf(document.activeElement);
  box.replaceChildren(
    h("button", { type: "button", class: "button small",
      text: person.muted ? strings.unmute : strings.mute,
      onclick: () => moderatePerson(registrationId, "mute", !person.muted) }),
    h("button", { type: "button", class: "button small danger", text: strings.ban,
      disabled: person.banned, onclick: () => moderatePerson(registrationId, "ban", true) }),
  );
  // Drawn anew: focus stays on the same button, or the first one still usable (a ban disables
  // its own button), rather than falling back to the page.
  if (focused >= 0) {
    const buttons = [...box.children];
    (buttons[focused].disabled ? buttons.find((button) => !button.disabled) : buttons[focused])
      ?.focus();
  }
}

/** The server scores look-alikes (one similarity rule, one threshold); the console lists them. */
async function renderSimilar(question) {
  const ack = await connection.send("similar_questions", { question_id: question.id });
  if (!ack.ok || state.selectedId !== question.id) return;
  const found = (ack.similar || []).map(({ question_id: id }) => state.questions.get(id))
    .filter(Boolean);
  $("detail-similar").replaceChildren(...found.map((other) => h("li", { class: "similar" }, [
    h("p", { class: "q-text", lang: langAttr(other.language), text: other.text }),
    h("p", { class: "muted", text: `${strings[`tab_${other.status}`] || other.status} · ${plural(strings, "votes", other.votes ?? 0)}` }),
    ["live", "answered", "pending"].includes(other.status)
      ? h("button", { type: "button", class: "button small", text: strings.merge,
        title: strings.merge_hint,
        onclick: () => command("merge_questions", question, { into_id: other.id,
          into_version: other.version }) })
      : null,
  ])));
}

function renderNowAnswering() {
  const highlighted = [...state.questions.values()].find((q) => q.highlighted);
  const box = $("now-answering");
  if (!highlighted) {
    box.replaceChildren(h("p", { class: "muted", text: strings.nobody_answering }));
    return;
  }
  box.replaceChildren(
    h("p", { class: "now-text", lang: langAttr(highlighted.language), text: highlighted.text }),
    highlighted.highlighted_at ? timerLine(highlighted.highlighted_at, strings, state.offset) : null,
    h("p", { class: "muted", text: `${authorText(highlighted)} · ${plural(strings, "votes", highlighted.votes ?? 0)}` }),
    h("p", { class: "actions" }, [
      highlighted.status === "live"
        ? h("button", { type: "button", class: "button small primary", text: strings.mark_answered,
          onclick: () => command("mark_answered", highlighted) }) : null,
      h("button", { type: "button", class: "button small", text: strings.unhighlight,
        onclick: () => command("unhighlight_question", highlighted) }),
    ]),
  );
}

function renderPeople() {
  const rows = [...state.people.entries()].filter(([, p]) => p.muted || p.banned);
  $("people-list").replaceChildren(...rows.map(([id, person]) => h("li", {}, [
    h("span", { text: person.name }),
    " ",
    h("span", { class: "tag", text: person.banned ? strings.banned_badge : strings.muted_badge }),
    person.muted && !person.banned
      ? h("button", { type: "button", class: "link-button", text: strings.unmute,
        onclick: () => moderatePerson(id, "mute", false) }) : null,
  ])));
}

// --- up next ---------------------------------------------------------------------------------

const upNextList = $("up-next-list");
let dragged = null;

function upNextRow(question, index) {
  return h("li", { class: `up-next-row${question.id === state.selectedId ? " selected" : ""}`,
    draggable: "true", dataset: { id: question.id },
    ondragstart: (event) => {
      dragged = question.id;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", String(question.id));
    },
    ondragover: (event) => { if (dragged !== null) event.preventDefault(); },
    ondrop: (event) => {
      event.preventDefault();
      if (dragged !== null && dragged !== question.id) {
        setUpNext(moveUpNextTo(state.upNext, dragged, index), dragged);
      }
      dragged = null;
    },
    ondragend: () => { dragged = null; } }, [
    h("button", { type: "button", class: "link-button up-next-select",
      "aria-current": question.id === state.selectedId ? "true" : null,
      lang: langAttr(question.language), text: question.text,
      onclick: () => select(question.id) }),
  ]);
}

function renderUpNext() {
  const questions = state.upNext.map((id) => state.questions.get(id)).filter(Boolean);
  upNextList.replaceChildren(...questions.map(upNextRow));
  $("up-next-empty").hidden = questions.length > 0;
}

/** Send the new order (shown at once; put back if the server refuses it). */
async function setUpNext(ids, moved = null) {
  const before = state.upNext;
  state.upNext = ids;
  renderAll();
  if (moved !== null) {
    announce(ids.includes(moved)
      ? format(strings.up_next_position, { n: ids.indexOf(moved) + 1, total: ids.length })
      : strings.up_next_left);
  }
  const ack = await connection.send("set_up_next", { question_ids: ids });
  if (ack.ok) {
    state.upNext = ack.question_ids;
  } else {
    state.upNext = before;
    showNotice(ack.error?.message || strings.retry);
  }
  renderAll();
}

function toggleSelectedUpNext() {
  const question = selected();
  if (!question || question.status !== "live" || question.highlighted) return;
  setUpNext(toggleUpNext(state.upNext, question.id), question.id);
}

function moveSelectedUpNext(step) {
  const id = state.selectedId;
  if (!state.upNext.includes(id)) return;
  const ids = moveUpNext(state.upNext, id, step);
  if (ids.some((other, index) => other !== state.upNext[index])) setUpNext(ids, id);
}

function renderAll() {
  renderCounts();
  renderLabels();
  renderQueue();
  renderDetail();
  renderNowAnswering();
  renderUpNext();
  renderPeople();
}

// --- commands ---------------------------------------------------------------------------------

function upsert(question) {
  if (!question) return;
  if (question.status === "withdrawn") state.questions.delete(question.id);
  else {
    if (question.highlighted) {
      for (const other of state.questions.values()) {
        if (other.id !== question.id) other.highlighted = false;
      }
    }
    state.questions.set(question.id, question);
  }
}

async function command(name, question, extra = {}) {
  const ack = await connection.send(name, { question_id: question.id, version: question.version,
    ...extra });
  if (ack.ok) {
    upsert(ack.question);
  } else if (ack.error?.code === "conflict") {
    upsert(ack.error.question);
    showNotice(strings.conflict);
  } else {
    showNotice(ack.error?.message || strings.retry);
  }
  if (!ack.ok || ack.question) {
    recount();
    renderAll();
  }
  return ack;
}

function selected() {
  return state.questions.get(state.selectedId) || null;
}

function runAction(action) {
  const question = selected();
  if (!question) return;
  const button = document.querySelector(`.detail-actions [data-action="${action}"]`);
  if (button && button.hidden) return;
  switch (action) {
    case "approve": command("approve_question", question); break;
    case "highlight":
      command(question.highlighted ? "unhighlight_question" : "highlight_question", question);
      break;
    case "answered": command("mark_answered", question); break;
    case "up_next": toggleSelectedUpNext(); break;
    case "edit": openEdit(question); break;
    case "star": command("set_starred", question, { starred: !question.starred }); break;
    case "dismiss": openDismiss([question]); break;
    case "restore": command("restore_question", question); break;
    case "archive": command("archive_question", question); break;
    case "merge":
      if (mergePicker.isOpen()) mergePicker.close({ focus: true });
      else mergePicker.open(question, [...state.questions.values()]);
      break;
    default: break;
  }
}

for (const button of document.querySelectorAll(".detail-actions [data-action]")) {
  button.addEventListener("click", () => runAction(button.dataset.action));
}

// "Merge into…": any other open question of the meeting, whatever its language.
const mergePicker = new MergePicker({
  opener: document.querySelector('.detail-actions [data-action="merge"]'),
  panel: $("merge-picker"),
  input: $("merge-search"),
  listbox: $("merge-options"),
  count: $("merge-count"),
  confirmBox: $("merge-confirm"),
  summary: $("merge-summary"),
  send: $("merge-send"),
  cancel: $("merge-cancel"),
}, {
  strings,
  describe: (question) => [strings[`tab_${question.status}`] || question.status,
    authorText(question), plural(strings, "votes", question.votes ?? 0)].join(" · "),
  merge: async (source, target) => {
    const ack = await command("merge_questions", source, { into_id: target.id,
      into_version: target.version });
    if (ack.ok) announce(format(strings.merge_done, { target: `#${target.id}` }));
    return ack.ok;
  },
});

function openEdit(question) {
  const box = $("detail-edit");
  if (box.hidden) {
    box.hidden = false;
    $("detail-edit-text").value = question.text;
  }
  $("detail-edit-text").focus();
}
$("detail-edit-save").addEventListener("click", async () => {
  const question = selected();
  if (!question) return;
  const ack = await command("edit_question", question, { text: $("detail-edit-text").value });
  if (ack.ok) {
    $("detail-edit").hidden = true;
    state.drafts.set(question.id, { answer: $("answer-text").value, edit: null });
  }
});
$("detail-edit-cancel").addEventListener("click", () => {
  $("detail-edit").hidden = true;
  if (state.selectedId !== null) {
    state.drafts.set(state.selectedId, { answer: $("answer-text").value, edit: null });
  }
});
$("answer-send").addEventListener("click", async () => {
  const question = selected();
  if (!question) return;
  const ack = await command("answer_question", question, { text: $("answer-text").value });
  if (ack.ok) state.drafts.set(question.id, { answer: $("answer-text").value, edit: null });
});
$("label-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const question = selected();
  const value = $("label-input").value.trim();
  if (!question || !value) return;
  const labels = [...new Set([...(question.labels || []), value])];
  $("label-input").value = "";
  command("set_labels", question, { labels });
});

// Dismiss: one question (d) or the bulk selection, then a reason.
const dismissDialog = $("dismiss-dialog");
let dismissTargets = [];
function openDismiss(questions) {
  dismissTargets = questions;
  $("dismiss-summary").textContent = questions.length === 1
    ? questions[0].text.slice(0, 200) : format(strings.bulk_done, { num: questions.length });
  $("dismiss-note").value = "";
  dismissDialog.returnValue = "";  // Escape keeps the previous value: never dismiss by accident
  dismissDialog.showModal();
  dismissDialog.querySelector('input[name="reason"]:checked')?.focus();
}
dismissDialog.addEventListener("keydown", (event) => {
  if (event.target.id === "dismiss-note") return;
  const radios = [...dismissDialog.querySelectorAll('input[name="reason"]')];
  const index = Number(event.key) - 1;
  if (index >= 0 && index < radios.length) {
    radios[index].checked = true;
    radios[index].focus();
    event.preventDefault();
  }
});
dismissDialog.addEventListener("close", async () => {
  if (dismissDialog.returnValue !== "dismiss" || !dismissTargets.length) return;
  const reason = dismissDialog.querySelector('input[name="reason"]:checked')?.value || "other";
  const note = $("dismiss-note").value;
  const targets = dismissTargets;
  dismissTargets = [];
  if (targets.length === 1) {
    await command("dismiss_question", targets[0], note ? { reason, note } : { reason });
  } else {
    await bulk("dismiss", targets, reason);
  }
  queue.querySelector(".queue-row .queue-select")?.focus();
});

async function bulk(action, questions, reason) {
  const ack = await connection.send("bulk_moderate", {
    action, ...(reason ? { reason } : {}),
    items: questions.map((q) => ({ question_id: q.id, version: q.version })),
  });
  if (!ack.ok) { showNotice(ack.error?.message || strings.retry); return; }
  const done = (ack.results || []).filter((r) => r.ok).length;
  const failed = (ack.results || []).length - done;
  state.bulk.clear();
  showNotice(format(strings.bulk_done, { num: done }) + (failed ? ` ${strings.conflict}` : ""));
  renderQueue();
}
$("bulk-approve").addEventListener("click", () => bulk("approve",
  [...state.bulk].map((id) => state.questions.get(id)).filter(Boolean)));
$("bulk-dismiss").addEventListener("click", () => openDismiss(
  [...state.bulk].map((id) => state.questions.get(id)).filter(Boolean)));

async function moderatePerson(registrationId, kind, value) {
  if (kind === "ban" && value && !(await confirmAction(
    { title: strings.ban_title, message: strings.ban_confirm, action: strings.ban }))) return;
  const name = kind === "ban" ? "ban_participant" : "mute_participant";
  const field = kind === "ban" ? "banned" : "muted";
  const ack = await connection.send(name, { registration_id: registrationId, [field]: value });
  if (!ack.ok) { showNotice(ack.error?.message || strings.retry); return; }
  const person = state.people.get(registrationId) || { name: "", muted: false, banned: false };
  person[field] = ack[field] ?? value;
  if (!person.name) {
    const asked = [...state.questions.values()].find((q) => q.registration_id === registrationId);
    person.name = asked?.author?.name || "";
  }
  state.people.set(registrationId, person);
  renderDetail();
  renderPeople();
}

// Settings: every change is sent at once; the broadcast keeps other consoles in step.
const settingsForm = $("settings-form");
settingsForm.addEventListener("change", async () => {
  const moderation = settingsForm.querySelector('input[name="moderation"]:checked')?.value;
  const ack = await connection.send("update_qa_settings", {
    moderation, open: $("setting-open").checked, anonymous_allowed: $("setting-anonymous").checked,
    after_meeting_questions: $("setting-after-meeting").checked,
  });
  $("settings-status").textContent = ack.ok ? "✓" : (ack.error?.message || strings.retry);
  if (ack.ok && ack.settings) applySettings(ack.settings);
});
settingsForm.addEventListener("submit", (event) => event.preventDefault());
function applySettings(settings) {
  if (!settings) return;
  const radio = settingsForm.querySelector(`input[name="moderation"][value="${settings.moderation}"]`);
  if (radio) radio.checked = true;
  if ("open" in settings) $("setting-open").checked = Boolean(settings.open);
  if ("anonymous_allowed" in settings) $("setting-anonymous").checked = Boolean(settings.anonymous_allowed);
  if ("after_meeting_questions" in settings) {
    $("setting-after-meeting").checked = Boolean(settings.after_meeting_questions);
  }
}

// --- keyboard ---------------------------------------------------------------------------------

const shortcuts = $("shortcuts-dialog");
$("shortcuts-open").addEventListener("click", () => shortcuts.showModal());

// One-key shortcuts (WCAG 2.1.4): a moderator can switch them off (speech input dictating a
// label would approve or dismiss), and they act only while the focus is in the queue pane.
const shortcutsSetting = keptSetting("console-shortcuts", true);
const shortcutsBox = $("shortcuts-enabled");
shortcutsBox.checked = shortcutsSetting.read() !== false;
shortcutsBox.addEventListener("change", () => shortcutsSetting.save(shortcutsBox.checked));

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

// The control a field was entered from (a row, a shortcut's row, a button): Escape goes back.
let fieldOpener = null;
document.addEventListener("focusin", (event) => {
  if (!typing(event.target) || typing(event.relatedTarget)) return;
  const from = event.relatedTarget;
  const row = from?.closest ? from.closest(".queue-row") : null;
  fieldOpener = from ? { node: from, rowId: row?.dataset.id, role: from.dataset?.role } : null;
});

/** Escape out of a field: back to where it was opened from, else the selected row, else the
 * list. Never to <body>. */
function leaveField() {
  const opener = fieldOpener;
  fieldOpener = null;
  let target = opener?.node?.isConnected && !opener.node.closest("[hidden]") ? opener.node : null;
  if (!target && opener?.rowId) {
    target = queue.querySelector(`.queue-row[data-id="${CSS.escape(opener.rowId)}"] [data-role="${opener.role || "select"}"]`);
  }
  if (!target && state.selectedId !== null) {
    target = queue.querySelector(`.queue-row[data-id="${state.selectedId}"] .queue-select`);
  }
  (target || queue).focus();
}

function move(step) {
  const rows = visibleQuestions();
  if (!rows.length) return;
  const index = rows.findIndex((q) => q.id === state.selectedId);
  const next = index < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, index + step));
  select(rows[next].id, { focusRow: true });
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && typing(event.target) && !event.target.closest("dialog")) {
    leaveField();
    return;
  }
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target) || document.querySelector("dialog[open]")) return;
  if (!shortcutsBox.checked || !(event.target instanceof Element) ||
      !event.target.closest(".pane-queue")) return;
  const keys = {
    j: () => move(1),
    k: () => move(-1),
    a: () => runAction("approve"),
    d: () => runAction("dismiss"),
    h: () => runAction("highlight"),
    m: () => runAction("answered"),
    u: () => runAction("up_next"),
    K: () => moveSelectedUpNext(-1),
    J: () => moveSelectedUpNext(1),
    e: () => runAction("edit"),
    r: () => { if (selected()) $("answer-text").focus(); },
    x: () => {
      if (state.selectedId === null) return;
      if (state.bulk.has(state.selectedId)) state.bulk.delete(state.selectedId);
      else state.bulk.add(state.selectedId);
      renderQueue();
    },
    "/": () => $("queue-search").focus(),
    "?": () => shortcuts.showModal(),
  };
  const handler = keys[event.key];
  if (!handler) return;
  event.preventDefault();
  handler();
});

// --- live connection --------------------------------------------------------------------------

const connection = openLivePage(root);
bindStatusBanner(connection, $("connection-banner"), strings);

/** Organisers changed the agenda: new item and speaker names in the filter and on the cards. */
function applyAgenda(list) {
  if (!list) return;
  agenda = agendaIndex(list);
  replaceChoices($("queue-item"), agendaChoices(list));
}

connection.onSnapshot((snapshot) => {
  applyAgenda(snapshot.agenda);
  state.offset = serverOffset(snapshot.clock?.now);
  const qa = snapshot.qa || {};
  state.upNext = qa.up_next || [];
  state.questions = new Map((qa.questions || []).map((q) => [q.id, q]));
  for (const q of state.questions.values()) connection.revisions.newer("votes", q.id, q.votes_rev);
  if (qa.counts) state.counts = qa.counts; else recount();
  if (qa.settings) applySettings(qa.settings);
  for (const question of state.questions.values()) {
    if (question.registration_id && question.author?.muted) {
      state.people.set(question.registration_id, { name: question.author.name, muted: true,
        banned: false });
    }
  }
  if (snapshot.presence) showPresence(snapshot.presence.online);
  if (state.selectedId === null || !state.questions.has(state.selectedId)) {
    const first = visibleQuestions()[0];
    if (first) {
      state.selectedId = null;
      select(first.id);
    }
  }
  renderAll();
});

connection.on("agenda_changed", ({ agenda: list }) => {
  applyAgenda(list);
  renderAll();
});

connection.on("question_translated", ({ question_id: id, translations, answer_translations }) => {
  const question = state.questions.get(id);
  if (!question) return;
  Object.assign(question, { translations, answer_translations });
  if (state.selectedId === id) renderDetail();
});
connection.on("staff_question_changed", ({ action, question, counts, by }) => {
  const before = state.questions.get(question.id);
  upsert(mergeVotes(connection.revisions, before, question));
  if (counts) state.counts = counts; else recount();
  if (action === "asked" && question.status === "pending") announce(strings.new_pending);
  if (question.id === state.selectedId && before && by && before.version !== question.version &&
      !$("detail-edit").hidden) {
    showNotice(strings.conflict);
  }
  renderAll();
});
function applyTallies({ tallies, revs }) {
  for (const [id, votes] of newestCounts(connection.revisions, "votes", tallies, revs)) {
    const question = state.questions.get(Number(id));
    if (!question) continue;
    question.votes = votes;
    if (revs && id in revs) question.votes_rev = revs[id];
    const node = queue.querySelector(`.queue-row[data-id="${Number(id)}"] .queue-votes`);
    if (node) node.textContent = plural(strings, "votes", votes);
  }
  if (selected()) $("detail-votes").textContent = String(selected().votes ?? 0);
  renderNowAnswering();
  resortByVotes();
}
connection.on("vote_tally_changed", applyTallies);
// After a short drop: the counts as they are now.
connection.onFigures(({ qa, presence: people }) => {
  if (qa) applyTallies(qa);
  if (people) showPresence(people.online);
});
connection.on("participant_moderated", ({ registration_id: id, name, muted, banned }) => {
  state.people.set(id, { name, muted, banned });
  for (const question of state.questions.values()) {
    if (question.registration_id === id && question.author) question.author.muted = muted;
  }
  renderDetail();
  renderPeople();
});
connection.on("up_next_changed", ({ question_ids: ids }) => {
  state.upNext = ids;
  renderAll();
});
connection.on("qa_settings_changed", ({ settings }) => applySettings(settings));

const presence = $("presence");
function showPresence(online) {
  if (typeof online !== "number") return;
  presence.hidden = false;
  presence.textContent = plural(strings, "online", online);
}
connection.on("presence_changed", ({ online }) => showPresence(online));

renderCounts();
window.setInterval(() => updateTimers($("now-answering"), state.offset), 1000);
connection.start();
