// A poll's results drawn for people who look (bars, a word cloud, a rating's distribution, the
// open answers) and, beside each, a visually-hidden table for screen readers. Shared by the
// attendee card, the presenter and the console; every word is one of the server's strings.
import { format, plural } from "../live/data.js";
import { h } from "../live/dom.js";
import { localText, pageLanguage, setLocalText } from "../live/local-text.js";
import { averageText, cloudSizes, ratingLevels, resultBars } from "./model.js";

/** A node showing an organiser text (question, option) in the reader's language. */
export function localNode(tag, attributes, value) {
  const node = h(tag, attributes);
  setLocalText(node, value);
  return node;
}

function figure(strings, percent, count) {
  return format(strings.bar_figure, { percent, count });
}

/**
 * A table only screen readers see: `caption`, header cells, rows of cells. It sits in a
 * visually-hidden box, as a table grows past a width set on itself and would widen the page.
 */
function hiddenTable(caption, headers, rows) {
  return h("div", { class: "visually-hidden" }, [h("table", {}, [
    h("caption", { text: caption }),
    h("thead", {}, [h("tr", {}, headers.map((text) => h("th", { scope: "col", text })))]),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell, index) => (index === 0
      ? h("th", { scope: "row" }, [cell]) : h("td", {}, [cell])))))),
  ])]);
}

function bar(labelNode, percent, text) {
  const fill = h("span", { class: "poll-bar-fill" });
  fill.style.setProperty("--share", `${percent}%`);
  return h("li", { class: "poll-bar" }, [
    h("span", { class: "poll-bar-label" }, [labelNode]),
    h("span", { class: "poll-bar-track" }, [fill]),
    h("span", { class: "poll-bar-figure", text }),
  ]);
}

function choiceResults(poll, results, strings) {
  const bars = resultBars(results, poll.options || []);
  const ranking = poll.kind === "ranking";
  const countText = (count) => (ranking ? plural(strings, "points", count) : String(count));
  return [
    h("ol", { class: "poll-bars", "aria-hidden": "true" }, bars.map((entry) =>
      bar(localNode("span", {}, entry.option), entry.percent,
        figure(strings, entry.percent, countText(entry.count))))),
    hiddenTable(localText(poll.question),
      [strings.col_option, ranking ? strings.col_points : strings.col_count, strings.col_percent],
      bars.map((entry) => [localText(entry.option), String(entry.count),
        format(strings.percent, { num: entry.percent })])),
  ];
}

function cloudResults(poll, results, strings) {
  const words = cloudSizes(results.words || []);
  return [
    h("ul", { class: "poll-cloud", "aria-hidden": "true" }, words.map((word) => {
      const node = h("li", { class: "poll-cloud-word", text: word.text,
        title: plural(strings, "answers", word.count) });
      node.style.setProperty("--size", `${word.size}em`);
      return node;
    })),
    hiddenTable(localText(poll.question), [strings.col_word, strings.col_count],
      words.map((word) => [word.text, String(word.count)])),
  ];
}

function ratingResults(poll, results, strings) {
  const levels = ratingLevels(results, poll.scale);
  const stars = poll.scale !== "scale10";
  const label = (value) => (stars ? plural(strings, "stars", value) : String(value));
  const average = averageText(results.average, pageLanguage());
  return [
    h("p", { class: "poll-average" }, average === null ? strings.no_answers_yet
      : format(stars ? strings.average_stars : strings.average_scale, { avg: average })),
    h("ol", { class: "poll-bars poll-distribution", "aria-hidden": "true" }, [...levels].reverse()
      .map((level) => bar(h("span", { text: label(level.value) }), level.percent,
        figure(strings, level.percent, String(level.count))))),
    hiddenTable(localText(poll.question), [strings.col_rating, strings.col_count, strings.col_percent],
      levels.map((level) => [label(level.value), String(level.count),
        format(strings.percent, { num: level.percent })])),
  ];
}

/**
 * The open answers as a list (already text for everyone); `moderate(answer)` adds the
 * console's buttons to each.
 */
function textResults(poll, results, strings, moderate) {
  const answers = results.answers || [];
  if (!answers.length) return [h("p", { class: "muted", text: strings.no_answers_yet })];
  return [h("ul", { class: "poll-texts" }, answers.map((answer) => h("li", {
    class: `poll-text${answer.status && answer.status !== "shown" ? ` is-${answer.status}` : ""}`,
    dataset: { answerId: answer.id },
  }, [
    h("p", { class: "poll-text-body", text: answer.text }),
    h("p", { class: "poll-text-meta" }, [
      h("span", { text: answer.name || strings.anonymous }),
      answer.status && answer.status !== "shown"
        ? h("span", { class: "tag", text: strings[`answer_${answer.status}`] || answer.status }) : null,
    ]),
    moderate ? moderate(answer) : null,
  ])))];
}

/** The results block of `poll`: the total, then the drawing for its kind. */
export function resultsNode(poll, results, strings, { moderate = null } = {}) {
  const body = !results ? [h("p", { class: "muted", text: strings.no_answers_yet })]
    : results.kind === "word_cloud" ? cloudResults(poll, results, strings)
      : results.kind === "rating" ? ratingResults(poll, results, strings)
        : results.kind === "open_text" ? textResults(poll, results, strings, moderate)
          : choiceResults(poll, results, strings);
  return h("div", { class: `poll-results poll-results-${poll.kind}` }, [
    h("p", { class: "poll-total", text: plural(strings, "answers", Number(results?.total ?? 0)) }),
    ...body,
  ]);
}
