// The presenter screen: the highlighted question with the time since it was highlighted, and the
// next three (the moderators' "up next" order first, then by votes), following the meeting live.
// Read-only: it connects with the presenter token and sends nothing but `join`.
import { openLivePage } from "./live-page.js";
import { readJSON } from "./live/data.js";
import { mergeVotes, newestCounts } from "./live/order.js";
import { announce, h } from "./live/dom.js";
import { serverOffset } from "./live/clock-rules.js";
import { pageLanguage } from "./live/local-text.js";
import { currentSpeakers, speakerItems } from "./live/speakers.js";
import {
  bindStatusBanner, presenterCard, timerLine, updateTimers, upNextFirst,
} from "./qa/common.js";
import { fitText } from "./live/fit.js";

const NEXT_COUNT = 3;
const root = document.getElementById("presenter");
const strings = readJSON(root, "strings");
const translation = root.dataset.translation || "";   // `?translation=es`: shown beside each
const highlightBox = document.getElementById("presenter-highlight");
const upcoming = document.getElementById("presenter-upcoming");
const joinUrl = root.querySelector(".presenter-url");
const questions = new Map();
let upNext = [];
let offset = 0;   // server clock minus this browser's, from the snapshot's clock
const speakerBox = document.getElementById("presenter-speakers");
const speakerList = document.getElementById("presenter-speaker-list");
let agenda = readJSON(root, "agenda") || [];
let currentItemId = speakerBox ? JSON.parse(speakerBox.dataset.currentItem || "null") : null;

/** The item the clock says runs now (none once the meeting ended). */
function runningItem(clock) {
  if (!clock || clock.status === "ended") return null;
  return clock.current_item_id ?? null;
}

// The speakers of the item running now, with their photos; hidden between items.
function renderSpeakers() {
  if (!speakerBox) return;
  const speakers = currentSpeakers(agenda, currentItemId);
  speakerList.replaceChildren(...speakerItems(speakers, pageLanguage()));
  speakerBox.hidden = speakers.length === 0;
}

function render() {
  const visible = [...questions.values()];
  const highlighted = visible.find((q) => q.highlighted) || null;
  const next = upNextFirst(visible.filter((q) => q.status === "live" && !q.highlighted), upNext)
    .slice(0, NEXT_COUNT);
  const previous = highlightBox.firstElementChild?.dataset.questionId;
  highlightBox.replaceChildren(...(highlighted
    ? [presenterCard(highlighted, strings, translation),
      highlighted.highlighted_at
        ? timerLine(highlighted.highlighted_at, strings, offset, "presenter-timer") : null]
      .filter(Boolean)
    : [h("p", { class: "presenter-waiting", text: strings.waiting })]));
  upcoming.replaceChildren(...next.map((q) => h("li", {}, [presenterCard(q, strings, translation)])));
  if (highlighted && String(highlighted.id) !== previous) {
    announce(`${strings.highlighted}: ${highlighted.text}`);
  }
  fitHighlight();
}

// Nothing clipped at any projector size: a long highlighted question gets smaller type, and the
// join address stays on one line, as large as its column allows.
function fitHighlight() {
  fitText(highlightBox, highlightBox.querySelector(".presenter-text"),
          () => highlightBox.scrollHeight > highlightBox.clientHeight + 1, { min: 18 });
}
function fitJoinUrl() {
  fitText(joinUrl, joinUrl, () => joinUrl.scrollWidth > joinUrl.clientWidth + 1, { min: 12 });
}
function fitAll() {
  fitJoinUrl();
  fitHighlight();
}
fitAll();
new ResizeObserver(() => fitAll()).observe(root);

// Theme: `?theme=light` in the link, or press "t" on the presenting machine.
document.addEventListener("keydown", (event) => {
  if (event.key !== "t" || event.ctrlKey || event.metaKey || event.altKey) return;
  const html = document.documentElement;
  const light = html.classList.toggle("theme-light");
  html.classList.toggle("theme-dark", !light);
});

// The presenter has no session identity: the token it was opened with admits it.
const connection = openLivePage(root, {
  extraAuth: { presenter_token: root.dataset.presenterToken },
});
bindStatusBanner(connection, document.getElementById("connection-banner"), strings);

connection.onSnapshot((snapshot) => {
  offset = serverOffset(snapshot.clock?.now);
  if (snapshot.agenda) agenda = snapshot.agenda;
  if (snapshot.clock) currentItemId = runningItem(snapshot.clock);
  renderSpeakers();
  upNext = snapshot.qa?.up_next || [];
  questions.clear();
  for (const question of snapshot.qa?.questions || []) {
    questions.set(question.id, question);
    connection.revisions.newer("votes", question.id, question.votes_rev);
  }
  render();
});
for (const type of ["question_published", "question_updated"]) {
  connection.on(type, ({ question }) => {
    if (question.highlighted) {
      for (const other of questions.values()) if (other.id !== question.id) other.highlighted = false;
    }
    questions.set(question.id, mergeVotes(connection.revisions, questions.get(question.id),
                                          question));
    render();
  });
}
connection.on("question_translated", ({ question_id: id, translations }) => {
  const question = questions.get(id);
  if (!question) return;
  question.translations = translations;
  render();
});
connection.on("clock_changed", ({ clock }) => {
  currentItemId = runningItem(clock);
  renderSpeakers();
});
connection.on("agenda_changed", (data) => {
  agenda = data.agenda || agenda;
  if (data.clock) currentItemId = runningItem(data.clock);
  renderSpeakers();
});
connection.on("up_next_changed", ({ question_ids: ids }) => {
  upNext = ids;
  render();
});
connection.on("question_removed", ({ question_id: id }) => {
  questions.delete(id);
  render();
});
function applyTallies({ tallies, revs }) {
  for (const [id, votes] of newestCounts(connection.revisions, "votes", tallies, revs)) {
    const question = questions.get(Number(id));
    if (question) question.votes = votes;
  }
  render();
}
connection.on("vote_tally_changed", applyTallies);
// After a short drop: the counts as they are now.
connection.onFigures(({ qa }) => { if (qa) applyTallies(qa); });
window.setInterval(() => updateTimers(highlightBox, offset), 1000);
connection.start();
