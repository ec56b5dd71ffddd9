// The attendee's live page: questions to read, vote on and ask, kept in step over the live
// connection. The list never moves under the reader: new questions wait behind a pill, and so
// does a new popular order when votes change it (the pill re-sorts; nothing moves by itself).
import { openLivePage } from "./live-page.js";
import { agendaChoices, replaceChoices } from "./live/agenda.js";
import { burstAnnouncer } from "./live/burst.js";
import { bindDisclosures } from "./live/disclosure.js";
import { format, newClientId, plural, readJSON } from "./live/data.js";
import { keptValue } from "./live/kept.js";
import { mergeVotes, newestCounts } from "./live/order.js";
import { tabKeyTarget } from "./live/tabs.js";
import { confirmAction } from "./live/confirm-dialog.js";
import { translatedNodes } from "./live/translated.js";
import { announce, h } from "./live/dom.js";
import { limitLevel } from "./live/limit.js";
import {
  agendaIndex, authorLine, bindStatusBanner, byPopularity, inView, isPublicStatus, langAttr,
  languageBadge, orderChanged,
} from "./qa/common.js";

const root = document.getElementById("qa-live");
const strings = readJSON(root, "strings");
let agenda = agendaIndex(readJSON(root, "agenda", []));
const meetingId = Number(root.dataset.meetingId);
const isAttendee = Boolean(root.dataset.registrationId);
const keptDraft = keptValue("qa-draft", meetingId);
const keptView = keptValue("qa-view", meetingId);   // {view, sort, tab}: the reader's choice

const state = {
  settings: {
    open: root.dataset.open === "true",
    anonymous_allowed: root.dataset.anonymousAllowed === "true",
    max_length: Number(root.dataset.maxLength) || 500,
    moderation: root.dataset.moderation,
    ended: root.dataset.ended === "true",
    after_meeting_questions: root.dataset.afterMeetingQuestions === "true",
  },
  questions: new Map(),   // public questions by id (live and answered)
  own: new Map(),         // my questions by id, every status
  myVotes: new Set(),
  voteIntents: new Map(), // question id -> voted: clicked, not yet acked (may wait offline)
  shown: new Set(),       // ids placed in the list by the last full render
  waiting: new Set(),     // published since then: brought in by the pill
  reordered: false,       // votes changed the popular order of the cards shown: the pill sorts
  muted: false,
  view: "open",
  sort: "popular",
  filters: { item: "", language: "", label: "" },
};

const list = document.getElementById("question-list");
const empty = document.getElementById("question-empty");
const pill = document.getElementById("new-pill");
const presence = document.getElementById("presence");
bindDisclosures(root);

// --- questions list ---------------------------------------------------------------------------

/** The freshest view of a question: my own copy carries status and dismissal details. */
function merged(id) {
  const mine = state.own.get(id);
  const open = state.questions.get(id);
  if (mine && open) return { ...mine, ...open, mine: true, status: open.status };
  return mine || open;
}

function statusLine(question) {
  if (!question.mine) return null;
  if (question.status === "pending") return strings.pending;
  if (question.status === "dismissed") {
    if (question.merged_into_id) {
      const target = merged(question.merged_into_id);
      if (target) return format(strings.duplicate_of, { text: target.text });
    }
    const reason = strings[`reason_${question.dismiss_reason}`] || strings.reason_other;
    return format(strings.dismissed_reason, { reason });
  }
  return strings.mine;
}

/** The moderator's note to the asker on a dismissal: their own words, shown as text. */
function dismissNote(question) {
  if (!question.mine || question.status !== "dismissed" || !question.dismiss_note) return null;
  return h("p", { class: "q-note", text: format(strings.dismiss_note, { note: question.dismiss_note }) });
}

/** Only public questions have a vote button: nobody votes on a pending or closed one. */
/** After the end attendees only read (the server refuses votes, edits and withdrawals), unless
 * the organisers take questions after the meeting. */
function meetingOver() {
  return Boolean(state.settings.ended) && !state.settings.after_meeting_questions;
}

function voteButton(question) {
  if (!isPublicStatus(question.status)) return null;
  const pressed = votedNow(question.id);
  const live = question.status === "live" && state.questions.has(question.id) && !meetingOver();
  // The server refuses votes for your own question (code `own_question`); an old vote can
  // still be taken back.
  const own = Boolean(question.mine) && !pressed;
  return h("button", {
    type: "button",
    class: "vote-button",
    "aria-pressed": pressed ? "true" : "false",
    // Named by its own words and its question's text: going from button to button, screen
    // readers say which question each vote is for.
    id: `vote-${question.id}`,
    "aria-labelledby": `vote-${question.id} q-text-${question.id}`,
    disabled: !isAttendee || !live || own,
    title: own ? strings.own_vote : null,
    dataset: { role: "vote", id: question.id },
    onclick: () => toggleVote(question.id),
  }, [
    h("span", { class: "vote-arrow", "aria-hidden": "true", text: "▲" }),
    h("span", { class: "visually-hidden", text: `${strings.vote}: ` }),
    h("span", { class: "vote-count", text: String(question.votes ?? 0) }),
    h("span", { class: "visually-hidden", text: ` (${plural(strings, "votes", question.votes ?? 0)})` }),
  ]);
}

function ownActions(question) {
  const editable = ["pending", "live"].includes(question.status) && !question.answer
    && !meetingOver();
  if (!question.mine || !editable) return null;
  return h("span", { class: "own-actions" }, [
    h("button", { type: "button", class: "link-button", dataset: { role: "edit" },
      onclick: () => openEditor(question.id), text: strings.edit }),
    h("button", { type: "button", class: "link-button", dataset: { role: "withdraw" },
      onclick: () => withdraw(question.id), text: strings.withdraw }),
  ]);
}

function card(question) {
  const classes = ["q-card"];
  if (question.mine) classes.push("mine");
  if (question.status === "answered") classes.push("answered");
  if (question.status === "pending") classes.push("pending");
  if (question.status === "dismissed") classes.push("dismissed");
  if (question.highlighted) classes.push("highlighted");
  const textId = `q-text-${question.id}`;
  const item = question.agenda_item_id ? agenda.items.get(question.agenda_item_id) : null;
  const speaker = question.speaker_id ? agenda.speakers.get(question.speaker_id) : null;
  const status = statusLine(question);
  return h("li", { class: classes.join(" "), dataset: { id: question.id } }, [
    h("article", { "aria-labelledby": textId }, [
      question.highlighted
        ? h("p", { class: "badge badge-now", text: strings.highlighted }) : null,
      status ? h("p", { class: `q-state state-${question.status}`, text: status }) : null,
      dismissNote(question),
      h("div", { id: textId }, translatedNodes({
        key: `q-${question.id}`, text: question.text, language: question.language,
        translations: question.translations, strings,
        render: (text, lang) => h("p", { class: "q-text", lang, text }),
      })),
      h("p", { class: "q-meta" }, [
        h("span", { class: "q-author",
          text: question.anonymous ? strings.anonymous : authorLine(question, strings) }),
        h("span", { class: "tag", lang: langAttr(question.language),
          text: languageBadge(question.language) }),
        item ? h("span", { class: "q-item", text: speaker ? `${item} · ${speaker}` : item }) : null,
        question.edited ? h("span", { class: "q-edited", text: strings.edited }) : null,
        ...(question.labels || []).map((label) => h("span", { class: "tag tag-label", text: label })),
      ]),
      question.status === "answered"
        ? h("div", { class: "q-answer" }, [
          h("p", { class: "badge badge-answered", text: strings.answered }),
          ...(question.answer ? translatedNodes({
            key: `a-${question.id}`, text: question.answer, language: question.language,
            translations: question.answer_translations, strings,
            render: (text, lang) => h("p", { class: "q-answer-text", lang, text }),
          }) : []),
        ])
        : null,
      h("div", { class: "q-actions" }, [voteButton(question), ownActions(question)]),
    ]),
  ]);
}

function matchesFilters(question) {
  const { item, language, label } = state.filters;
  if (item && String(question.agenda_item_id ?? "") !== item) return false;
  if (language && question.language !== language) return false;
  if (label && !(question.labels || []).includes(label)) return false;
  return true;
}

function popularShown() {
  return state.sort === "popular" && state.view !== "mine";
}

/** The list's order: popular (the server's rule) or newest first, my unseen ones on top. */
function compareCards(a, b) {
  const byTime = (x, y) => (y.created_at || "").localeCompare(x.created_at || "") || y.id - x.id;
  const main = popularShown() ? byPopularity : byTime;
  // My questions that others cannot see yet stay on top, where I look for them.
  const hidden = (q) => Boolean(q.mine) && !isPublicStatus(q.status);
  return Number(hidden(b)) - Number(hidden(a)) || main(a, b);
}

function ordered(questions) {
  return questions.sort(compareCards);
}

/** After a vote count changes: would the popular order of the cards shown be another? */
function checkOrder() {
  if (!popularShown()) return;
  const ids = [...list.querySelectorAll(":scope > .q-card")].map((node) => Number(node.dataset.id));
  const questions = ids.map(merged).filter(Boolean);
  const changed = orderChanged(questions.map((q) => q.id), questions, compareCards);
  if (changed !== state.reordered) {
    state.reordered = changed;
    updatePill();
  }
}

function allIds() {
  return new Set([...state.questions.keys(), ...state.own.keys()]);
}

/** Rebuild the list: on load, on the reader's own request (sort, filter, pill), never by itself. */
function renderList() {
  state.waiting.clear();
  state.reordered = false;
  const questions = [];
  for (const id of allIds()) {
    const question = merged(id);
    if (question && inView(question, state.view) && matchesFilters(question)) questions.push(question);
  }
  state.shown = allIds();
  const focused = focusMarker();
  list.replaceChildren(...ordered(questions).map(card));
  restoreFocus(focused);
  list.setAttribute("aria-busy", "false");
  empty.hidden = questions.length > 0;
  updatePill();
  updateCounts();
  updateLabels();
}

function focusMarker() {
  const active = document.activeElement;
  const cardNode = active && active.closest && active.closest(".q-card");
  if (!cardNode || !list.contains(cardNode)) return null;
  return { id: cardNode.dataset.id, role: active.dataset.role };
}

function restoreFocus(marker) {
  if (!marker) return;
  const target = list.querySelector(`.q-card[data-id="${CSS.escape(marker.id)}"] [data-role="${CSS.escape(marker.role || "")}"]`);
  if (target) target.focus();
}

/** Refresh one card where it stands (votes, answer, highlight); the order stays. */
function refreshCard(id) {
  const node = list.querySelector(`.q-card[data-id="${id}"]`);
  const question = merged(id);
  if (!node) return false;
  if (node.querySelector(".q-edit")) return true;  // being edited: leave the editor alone
  if (!question || !inView(question, state.view) || !matchesFilters(question)) {
    node.remove();
    empty.hidden = list.children.length > 0;
    return true;
  }
  const focused = focusMarker();
  node.replaceWith(card(question));
  restoreFocus(focused);
  return true;
}

function placeNew(id) {
  const question = merged(id);
  if (!question) return;
  if (refreshCard(id)) return;
  if (state.shown.has(id)) return;  // filtered out earlier: it appears on the next render
  if (question.mine) {
    // My own question goes in at once, on top: I just asked it.
    state.shown.add(id);
    if (inView(question, state.view) && matchesFilters(question)) {
      list.prepend(card(question));
      empty.hidden = true;
    }
    return;
  }
  state.waiting.add(id);
  updatePill();
}

function updatePill() {
  const count = [...state.waiting].filter((id) => {
    const question = merged(id);
    return question && inView(question, state.view) && matchesFilters(question);
  }).length;
  // One pill: bringing the new questions in re-sorts the list too.
  const text = count ? plural(strings, "new", count) : state.reordered ? strings.order_changed : "";
  pill.hidden = !text;
  pill.textContent = text;
}

function updateCounts() {
  const answered = [...state.questions.values()].filter((q) => q.status === "answered").length;
  const counter = document.getElementById("answered-count");
  if (counter) counter.textContent = answered ? `(${answered})` : "";
}

function updateLabels() {
  const select = document.getElementById("filter-label");
  const known = new Set();
  for (const question of state.questions.values()) {
    for (const label of question.labels || []) known.add(label);
  }
  const current = select.value;
  const options = [select.options[0], ...[...known].sort().map((label) =>
    h("option", { value: label, text: label }))];
  select.replaceChildren(...options);
  select.value = known.has(current) ? current : "";
}

pill.addEventListener("click", () => {
  renderList();
  list.querySelector(".q-card [data-role]")?.focus({ preventScroll: true });
  list.scrollIntoView({ block: "start", behavior: "smooth" });
});

/** Keep the view, sort and section the reader chose for this meeting across a reload. */
function keepChoice(choice) {
  keptView.save({ ...(keptView.read() || {}), ...choice });
}

for (const radio of document.querySelectorAll('input[name="qa-view"]')) {
  radio.addEventListener("change", () => {
    state.view = radio.value;
    keepChoice({ view: radio.value });
    renderList();
  });
}
for (const radio of document.querySelectorAll('input[name="qa-sort"]')) {
  radio.addEventListener("change", () => {
    state.sort = radio.value;
    keepChoice({ sort: radio.value });
    renderList();
  });
}
for (const [key, id] of [["item", "filter-item"], ["language", "filter-language"], ["label", "filter-label"]]) {
  document.getElementById(id).addEventListener("change", (event) => {
    state.filters[key] = event.target.value;
    const active = Object.values(state.filters).filter(Boolean).length;
    document.getElementById("filter-count").textContent = active ? `(${active})` : "";
    renderList();
  });
}

// --- votes, edits, withdrawals ----------------------------------------------------------------

/** My vote as last chosen: a click waiting to be sent counts over the server's answer. */
function votedNow(id) {
  return state.voteIntents.has(id) ? state.voteIntents.get(id) : state.myVotes.has(id);
}

async function toggleVote(id) {
  const voted = !votedNow(id);
  state.voteIntents.set(id, voted);
  refreshCard(id);
  // Kept while offline, one per question: only the latest choice is sent after the rejoin.
  const ack = await connection.send("vote", { question_id: id, voted },
                                    { retry: true, key: `vote:${id}` });
  if (ack.error?.code === "superseded") return;  // a later click on this question decides
  if (state.voteIntents.get(id) === voted) state.voteIntents.delete(id);
  if (!ack.ok) {
    setStatus(ack.error?.message || strings.retry);
    refreshCard(id);
    return;
  }
  if (ack.voted) state.myVotes.add(id); else state.myVotes.delete(id);
  const question = state.questions.get(id);
  if (question && typeof ack.votes === "number"
      && connection.revisions.newer("votes", id, ack.votes_rev)) {
    question.votes = ack.votes;
    question.votes_rev = ack.votes_rev;
  }
  refreshCard(id);
  checkOrder();
}

function openEditor(id) {
  const node = list.querySelector(`.q-card[data-id="${id}"]`);
  const question = merged(id);
  if (!node || !question || node.querySelector(".q-edit")) return;
  const area = h("textarea", { id: `q-edit-${id}`, rows: 3 });
  area.value = question.text;
  const form = h("form", { class: "q-edit" }, [
    h("label", { for: `q-edit-${id}`, class: "visually-hidden", text: strings.edit }),
    area,
    h("p", { class: "actions" }, [
      h("button", { type: "submit", class: "button primary", text: strings.save }),
      h("button", { type: "button", class: "button", text: strings.cancel,
        onclick: () => { form.remove(); refreshCard(id); } }),
    ]),
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ack = await connection.send("edit_my_question", { question_id: id, text: area.value });
    if (!ack.ok) {
      setStatus(ack.error?.message || strings.retry);
      return;
    }
    form.remove();
    upsertOwn(ack.question);
  });
  node.querySelector("article").append(form);
  area.focus();
}

async function withdraw(id) {
  if (!(await confirmAction({ title: strings.withdraw_confirm, message: strings.withdraw_message,
    action: strings.withdraw }))) return;
  const ack = await connection.send("withdraw_my_question", { question_id: id });
  if (!ack.ok) {
    setStatus(ack.error?.message || strings.retry);
    return;
  }
  upsertOwn(ack.question);
}

function upsertOwn(question) {
  if (!question) return;
  if (question.status === "withdrawn") {
    state.own.delete(question.id);
    list.querySelector(`.q-card[data-id="${question.id}"]`)?.remove();
    return;
  }
  state.own.set(question.id, question);
  placeNew(question.id);
}

// --- the ask box ------------------------------------------------------------------------------

const form = document.getElementById("ask-form");
const textArea = document.getElementById("ask-text");
const remaining = document.getElementById("ask-remaining");
const limitNote = document.getElementById("ask-limit");
const askStatus = document.getElementById("ask-status");
const submit = document.getElementById("ask-submit");
const itemSelect = document.getElementById("ask-item");
const languageSelect = document.getElementById("ask-language");
const anonymous = document.getElementById("ask-anonymous");
const similarBox = document.getElementById("ask-similar");
const similarList = document.getElementById("ask-similar-list");
const skipLink = document.getElementById("skip-to-ask");
let checkedSimilarFor = null;

function setStatus(message) {
  askStatus.textContent = message || "";
}

function saveDraft(extra = {}) {
  const previous = keptDraft.read() || {};
  const draft = {
    text: textArea.value,
    item: itemSelect.value,
    language: languageSelect.value,
    anonymous: anonymous ? anonymous.checked : false,
    client_id: previous.text === textArea.value ? previous.client_id : undefined,
    ...extra,
  };
  keptDraft.save(draft.text ? draft : null);  // not kept: the text still stays in the box
}

/** The ask box belongs to the Questions section, for attendees only. */
function showAskForm() {
  const questionsShown = document.getElementById("tab-questions")?.getAttribute("aria-selected") !== "false";
  form.hidden = !isAttendee || !questionsShown;
  if (skipLink) skipLink.hidden = form.hidden;
  reserveAskSpace();
}

/** Scrolling to a focused element keeps it clear of the pinned box (WCAG 2.4.11): the page
 * reserves the box's height at the bottom while, and only while, the box sticks. */
function reserveAskSpace() {
  const sticking = !form.hidden && getComputedStyle(form).position === "sticky";
  document.documentElement.style.scrollPaddingBottom =
    sticking ? `${Math.ceil(form.getBoundingClientRect().height)}px` : "";
}
new ResizeObserver(reserveAskSpace).observe(form);
window.addEventListener("resize", reserveAskSpace);

skipLink?.addEventListener("click", (event) => {
  event.preventDefault();
  textArea.focus();
});

let lastLimit = "ok";

/** The counter is read silently; the limit note speaks only when the text nears or passes the
 * limit, once per crossing, and the box is marked invalid while it is too long. */
function updateRemaining() {
  const max = state.settings.max_length;
  const left = max - [...textArea.value].length;
  remaining.textContent = left >= 0 ? plural(strings, "remaining", left) : strings.too_long;
  remaining.classList.toggle("over", left < 0);
  if (left < 0) textArea.setAttribute("aria-invalid", "true");
  else textArea.removeAttribute("aria-invalid");
  const level = limitLevel(left, max);
  if (level === lastLimit) return;
  lastLimit = level;
  limitNote.textContent = level === "over" ? strings.too_long
    : level === "near" ? plural(strings, "remaining", left) : "";
}

function updateAskBox() {
  const closed = !state.settings.open || meetingOver();
  const closedNote = document.getElementById("ask-closed");
  closedNote.hidden = !closed && !state.muted;
  closedNote.textContent = state.muted ? strings.muted
    : (meetingOver() ? strings.meeting_ended_closed : strings.qa_closed);
  submit.disabled = closed || state.muted || !isAttendee;
  const anonymousRow = document.getElementById("ask-anonymous-row");
  anonymousRow.hidden = !state.settings.anonymous_allowed;
  if (!state.settings.anonymous_allowed && anonymous) anonymous.checked = false;
  showAskForm();
  updateRemaining();
}

textArea.addEventListener("input", () => {
  checkedSimilarFor = null;
  similarBox.hidden = true;
  updateRemaining();
  saveDraft();
});
languageSelect.addEventListener("change", () => saveDraft());
itemSelect.addEventListener("change", () => saveDraft());
anonymous?.addEventListener("change", () => saveDraft());

function restoreDraft() {
  const draft = keptDraft.read();
  if (!draft) return;
  textArea.value = draft.text || "";
  if (draft.item) itemSelect.value = draft.item;
  if (draft.language) languageSelect.value = draft.language;
  if (anonymous) anonymous.checked = Boolean(draft.anonymous);
}

function showSimilar(similar) {
  similarList.replaceChildren(...similar.map(({ question }) => h("li", { class: "similar" }, [
    h("p", { class: "q-text", lang: langAttr(question.language), text: question.text }),
    h("p", { class: "q-meta" }, [
      h("span", { text: authorLine(question, strings) }),
      h("span", { class: "tag", text: plural(strings, "votes", question.votes ?? 0) }),
    ]),
    h("button", {
      type: "button", class: "button", text: strings.vote_instead,
      disabled: state.myVotes.has(question.id),
      onclick: async (event) => {
        // Marked done with aria-disabled, not disabled: the focus stays on the button.
        const button = event.currentTarget;
        if (button.getAttribute("aria-disabled") === "true") return;
        button.setAttribute("aria-disabled", "true");
        const ack = await connection.send("vote", { question_id: question.id, voted: true });
        if (!ack.ok) {
          button.removeAttribute("aria-disabled");
          setStatus(ack.error?.message || strings.retry);
          return;
        }
        state.myVotes.add(question.id);
        refreshCard(question.id);
        setStatus(strings.voted_instead);
      },
    }),
  ])));
  similarBox.hidden = false;
  similarList.querySelector("button:not([disabled])")?.focus();
}

async function send() {
  const text = textArea.value;
  const draft = keptDraft.read() || {};
  const clientId = draft.text === text && draft.client_id ? draft.client_id : newClientId();
  saveDraft({ client_id: clientId });
  const [itemId, speakerId] = itemSelect.value.split(":");
  // The button is disabled while sending: the focus waits in the box, not on <body>.
  if (document.activeElement === submit || similarBox.contains(document.activeElement)) {
    textArea.focus();
  }
  submit.disabled = true;
  setStatus(strings.sending);
  // Offline, the question waits in the connection's outbox and goes out after the rejoin;
  // the client id makes a copy that did reach the server count once.
  const ack = await connection.send("ask_question", {
    text,
    client_id: clientId,
    anonymous: anonymous ? anonymous.checked : false,
    agenda_item_id: itemId ? Number(itemId) : null,
    speaker_id: speakerId ? Number(speakerId) : null,
    language: languageSelect.value || null,  // none chosen: the server guesses
  }, { retry: true });
  submit.disabled = !state.settings.open || state.muted;
  if (!ack.ok) {
    // Refused: the text stays in the box and in sessionStorage.
    setStatus(ack.error?.message || strings.retry);
    return;
  }
  textArea.value = "";
  languageSelect.value = "";
  similarBox.hidden = true;
  checkedSimilarFor = null;
  keptDraft.clear();
  updateRemaining();
  setStatus(ack.question?.status === "pending" ? strings.sent_pending : strings.sent_live);
  upsertOwn(ack.question);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = textArea.value;
  if (!text.trim()) { textArea.focus(); return; }
  if ([...text].length > state.settings.max_length) { setStatus(strings.too_long); return; }
  if (checkedSimilarFor !== text) {
    checkedSimilarFor = text;
    const ack = await connection.send("find_similar", { text });
    const similar = ack.ok ? (ack.similar || []).filter(({ question }) => !question.mine) : [];
    if (similar.length) { showSimilar(similar); return; }
  }
  await send();
});
document.getElementById("ask-send-anyway").addEventListener("click", () => {
  checkedSimilarFor = textArea.value;
  textArea.focus();
  similarBox.hidden = true;
  send();
});
textArea.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
});

// --- tabs (Questions / Board) -----------------------------------------------------------------

const tabs = [...document.querySelectorAll('.tabs [role="tab"]')];
function selectTab(tab) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute("aria-selected", selected ? "true" : "false");
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
  }
  showAskForm();
  keepChoice({ tab: tab.id });
}
for (const [index, tab] of tabs.entries()) {
  tab.addEventListener("click", () => selectTab(tab));
  tab.addEventListener("keydown", (event) => {
    const target = tabKeyTarget(event.key, index, tabs.length);
    if (target === null) return;
    event.preventDefault();  // Home and End would scroll the page
    const next = tabs[target];
    selectTab(next);
    next.focus();
  });
}

// --- live connection --------------------------------------------------------------------------

const connection = openLivePage(root);
bindStatusBanner(connection, document.getElementById("connection-banner"), strings);

/** Organisers changed the agenda: new item and speaker names in the menus and on the cards. */
function applyAgenda(list) {
  if (!list) return;
  agenda = agendaIndex(list);
  replaceChoices(document.getElementById("filter-item"), agendaChoices(list));
  replaceChoices(itemSelect, agendaChoices(list, { speakers: true }));
}

connection.onSnapshot((snapshot) => {
  applyAgenda(snapshot.agenda);
  const qa = snapshot.qa || {};
  if (qa.settings) state.settings = { ...state.settings, ...qa.settings };
  state.questions = new Map((qa.questions || []).map((q) => [q.id, q]));
  for (const q of state.questions.values()) connection.revisions.newer("votes", q.id, q.votes_rev);
  state.own = new Map((qa.own || []).map((q) => [q.id, q]));
  state.myVotes = new Set(qa.my_votes || []);
  if (snapshot.presence) showPresence(snapshot.presence.online);
  updateAskBox();
  showEnded();
  renderList();
});

connection.on("agenda_changed", ({ agenda: list }) => {
  applyAgenda(list);
  renderList();
});

// Six questions approved at once are one announcement: "6 new questions".
const newQuestions = burstAnnouncer((count) => plural(strings, "new", count), announce);
connection.on("question_published", ({ question }) => {
  const known = state.questions.has(question.id) || state.shown.has(question.id);
  state.questions.set(question.id,
                      mergeVotes(connection.revisions, state.questions.get(question.id), question));
  placeNew(question.id);
  if (!known && !state.own.has(question.id)) newQuestions.add();
});
connection.on("question_updated", ({ question }) => {
  const before = state.questions.get(question.id);
  state.questions.set(question.id, mergeVotes(connection.revisions, before, question));
  if (!refreshCard(question.id)) placeNew(question.id);
  checkOrder();
  if (before && before.status !== "answered" && question.status === "answered") {
    announce(strings.answered_now);
  }
  updateCounts();
  updateLabels();
});
connection.on("question_translated", ({ question_id: id, translations, answer_translations }) => {
  for (const store of [state.questions, state.own]) {
    const question = store.get(id);
    if (question) Object.assign(question, { translations, answer_translations });
  }
  refreshCard(id);
});
connection.on("question_removed", ({ question_id: id }) => {
  state.questions.delete(id);
  state.waiting.delete(id);
  if (!state.own.has(id)) list.querySelector(`.q-card[data-id="${id}"]`)?.remove();
  else refreshCard(id);
  updatePill();
  updateCounts();
});
function applyTallies({ tallies, revs }) {
  for (const [id, votes] of newestCounts(connection.revisions, "votes", tallies, revs)) {
    const question = state.questions.get(Number(id));
    if (!question) continue;
    question.votes = votes;
    if (revs && id in revs) question.votes_rev = revs[id];
    const count = list.querySelector(`.q-card[data-id="${Number(id)}"] .vote-count`);
    if (count) {
      count.textContent = String(votes);
      count.nextElementSibling.textContent = ` (${plural(strings, "votes", votes)})`;
    }
  }
  checkOrder();
}
connection.on("vote_tally_changed", applyTallies);
// After a short drop: the counts and this attendee's votes as they are now.
connection.onFigures(({ qa, presence: people }) => {
  if (people) showPresence(people.online);
  if (!qa) return;
  applyTallies(qa);
  const before = state.myVotes;
  state.myVotes = new Set(qa.my_votes || []);
  for (const id of new Set([...before, ...state.myVotes])) {
    if (before.has(id) !== state.myVotes.has(id)) refreshCard(id);
  }
});
connection.on("own_question_changed", ({ question, merged_into: target }) => {
  if (target) state.questions.set(target.id, target);
  upsertOwn(question);
});
connection.on("own_vote_changed", ({ question_id: id, voted }) => {
  if (voted) state.myVotes.add(id); else state.myVotes.delete(id);
  refreshCard(id);
});
connection.on("own_status_changed", ({ muted }) => {
  state.muted = Boolean(muted);
  updateAskBox();
});
/** The ended notice with the after-meeting links; said aloud when the end arrives live. */
function showEnded({ announceIt = false } = {}) {
  const notice = document.getElementById("meeting-ended");
  const wasShown = !notice.hidden;
  notice.hidden = !state.settings.ended;
  document.getElementById("meeting-ended-ask").hidden =
    !(state.settings.after_meeting_questions && state.settings.open);
  if (announceIt && state.settings.ended && !wasShown) announce(strings.meeting_ended);
}

connection.on("qa_settings_changed", ({ settings }) => {
  const endedBefore = meetingOver();
  state.settings = { ...state.settings, ...settings };
  updateAskBox();
  showEnded({ announceIt: true });
  if (endedBefore !== meetingOver()) renderList();
});

function showPresence(online) {
  if (typeof online !== "number") return;
  presence.hidden = false;
  presence.textContent = plural(strings, "online", online);
}
connection.on("presence_changed", ({ online }) => showPresence(online));

/** Back to the view, sort and section chosen before a reload (the list renders on join). */
function restoreChoice() {
  const choice = keptView.read() || {};
  for (const [name, key] of [["qa-view", "view"], ["qa-sort", "sort"]]) {
    const radio = [...document.querySelectorAll(`input[name="${name}"]`)]
      .find((input) => input.value === choice[key]);
    if (!radio) continue;
    radio.checked = true;
    state[key] = radio.value;
  }
  const tab = tabs.find((candidate) => candidate.id === choice.tab);
  if (tab) selectTab(tab);
}

restoreDraft();
restoreChoice();
updateAskBox();
connection.start();
