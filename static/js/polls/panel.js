// Polls on a live page: ../live-page.js attaches this to every `[data-polls]` element before
// the connection starts. The element says whose view it is (`data-polls-role`: attendee,
// presenter or console) and holds its page data: `strings`, `polls` (the first state, shaped as
// the `polls` snapshot part), and for the console `console-strings`, `languages` (the meeting's,
// default first), `translation` (its `language_names`) and `agenda`.
import { readJSON } from "../live/data.js";
import { attendeeView } from "./attendee.js";
import { consoleView } from "./console.js";
import { PollStore } from "./model.js";
import { presenterView } from "./presenter.js";

const VIEWS = { attendee: attendeeView, presenter: presenterView, console: consoleView };

/** Drive `root` from `connection`'s poll events; call before `start()`. */
export function attachPolls(connection, root) {
  if (root.dataset.attached) return;
  root.dataset.attached = "polls";
  const makeView = VIEWS[root.dataset.pollsRole];
  if (!makeView) return;
  const store = new PollStore();
  const translation = readJSON(root, "translation", {});
  const view = makeView({
    root, store, connection,
    strings: { ...readJSON(root, "strings", {}), ...readJSON(root, "console-strings", {}) },
    languages: readJSON(root, "languages", []),
    languageNames: translation.language_names || {},
    agenda: readJSON(root, "agenda", []),
  });
  store.reset(readJSON(root, "polls", {}));
  view.render();

  connection.onSnapshot((snapshot) => {
    store.reset(snapshot.polls || {});
    view.render();
  });
  connection.on("poll_changed", ({ poll }) => {
    if (store.applyPoll(poll)) view.render();
  });
  connection.on("poll_removed", ({ poll_id: id }) => {
    if (store.remove(id)) view.render();
  });
  const results = (data) => {
    const changed = store.applyResults(data || {});
    if (changed.length) view.results(changed);
  };
  connection.on("poll_results_changed", results);
  const reviews = (data) => {
    const changed = store.applyReviews(data || {});
    if (changed.length) view.results(changed);
  };
  connection.on("poll_answers_changed", reviews);  // staff: open answers under review
  // After a short drop: the results as they are now, when the server adds them to `figures`.
  connection.onFigures(({ polls }) => {
    if (!polls) return;
    results(polls);
    reviews(polls);
  });
  connection.on("poll_answer_moderated", (data) => {
    if (store.applyModeration(data)) view.results([Number(data.poll_id)]);
  });
}
