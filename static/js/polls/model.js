// Polls in the browser: the state the pages hold (PollStore) and the pure rules that decide
// what to draw (bars, cloud sizes, a rating's levels, a ranking's moves, an answer read from a
// form and checked). The wire shapes are those of docs/protocol.md "Polls"; no DOM here, so
// Node's test runner imports it (tests/js/polls-model.test.mjs).

export const KINDS = ["single", "multiple", "rating", "word_cloud", "open_text", "ranking"];
export const CHOICE_KINDS = ["single", "multiple", "ranking"];
export const MAX_WORDS = 3;
export const WORD_LENGTH = 40;
export const TEXT_LENGTH = 500;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;

/**
 * Everything one page knows about polls: the polls by id, each poll's newest results (the
 * highest `rev` wins, as results are coalesced and not logged), and my own answers.
 */
export class PollStore {
  constructor() {
    this.polls = new Map();
    this.results = new Map();
    this.revs = new Map();
    this.myAnswers = new Map();
    this.reviews = new Map();
    this.reviewRevs = new Map();
  }

  /** The `polls` snapshot part (or the page's initial `polls` data): replaces everything. */
  reset(part = {}) {
    this.polls.clear();
    this.results.clear();
    this.revs.clear();
    this.myAnswers.clear();
    this.reviews.clear();
    this.reviewRevs.clear();
    for (const poll of part.polls || []) this.polls.set(poll.id, poll);
    this.applyResults({ results: part.results, revs: part.revs });
    this.applyReviews({ answers: part.answers, revs: part.revs });
    for (const [id, value] of Object.entries(part.my_answers || {})) {
      this.myAnswers.set(Number(id), value);
    }
  }

  /**
   * A poll from `poll_changed` or a command's ack; an older copy (lower `version`) than the
   * one held changes nothing, so an ack arriving after the broadcast is harmless.
   */
  applyPoll(poll) {
    if (!poll || poll.id === undefined) return false;
    const shown = this.polls.get(poll.id);
    if (shown && typeof shown.version === "number" && typeof poll.version === "number" &&
        poll.version < shown.version) return false;
    this.polls.set(poll.id, poll);
    return true;
  }

  remove(pollId) {
    const id = Number(pollId);
    const had = this.polls.delete(id);
    this.results.delete(id);
    this.revs.delete(id);
    this.myAnswers.delete(id);
    return had;
  }

  /** `poll_results_changed {results, revs}`: the ids whose results changed. */
  applyResults({ results, revs } = {}) {
    const changed = [];
    for (const [key, value] of Object.entries(results || {})) {
      const id = Number(key);
      const rev = (revs || {})[key];
      const known = this.revs.get(id);
      if (typeof rev === "number") {
        if (known !== undefined && rev < known) continue;
        this.revs.set(id, rev);
      }
      this.results.set(id, value);
      changed.push(id);
    }
    return changed;
  }

  /** `answer_poll`'s ack: `{answer: {value, status}}`. */
  applyAnswer(pollId, answer) {
    if (answer && answer.value !== undefined) this.myAnswers.set(Number(pollId), answer.value);
  }

  /** A staff decision on an open-text answer, shown at once where the results list it. */
  /**
   * Staff only: every open answer of a poll with its moderation `status` (pending, shown,
   * hidden), from the `answers` of the snapshot or of `poll_answers_changed`; the highest rev
   * wins, as for results.
   */
  applyReviews({ answers, revs } = {}) {
    const changed = [];
    for (const [key, list] of Object.entries(answers || {})) {
      const id = Number(key);
      const rev = (revs || {})[key];
      const known = this.reviewRevs.get(id);
      if (typeof rev === "number") {
        if (known !== undefined && rev < known) continue;
        this.reviewRevs.set(id, rev);
      }
      this.reviews.set(id, list);
      changed.push(id);
    }
    return changed;
  }

  /** Results as staff see them: an open-text poll lists every answer under review too. */
  staffResults(pollId) {
    const results = this.results.get(pollId);
    const answers = this.reviews.get(pollId);
    if (!answers) return results;
    return { ...(results || { kind: "open_text", total: 0 }), answers };
  }

  applyModeration({ poll_id: pollId, answer_id: answerId, shown }) {
    const id = Number(pollId);
    let found = false;
    for (const list of [this.results.get(id)?.answers, this.reviews.get(id)]) {
      const answer = (list || []).find((entry) => entry.id === answerId);
      if (answer) { answer.status = shown ? "shown" : "hidden"; found = true; }
    }
    return found;
  }

  /** Polls with one of `statuses`, in the organisers' order (position, then id). */
  list(statuses = ["draft", "open", "closed"]) {
    return [...this.polls.values()].filter((poll) => statuses.includes(poll.status))
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id);
  }
}

/** Whether attendees may see `poll`'s results now (the server decides too; this only hides). */
export function resultsVisible(poll, staff = false) {
  if (staff) return true;
  if (poll.results === "live") return poll.status === "open" || poll.status === "closed";
  if (poll.results === "closed") return poll.status === "closed";
  return false;
}

const percentOf = (part, whole) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

/**
 * Bars for a choice or ranking poll: `{index, option, count, percent}` per option. Choices keep
 * the organisers' order with the share of people who chose each; a ranking's points (Borda)
 * are sorted best first, with each option's share of all points given.
 */
export function resultBars(results, options = []) {
  if (!results) return [];
  if (results.kind === "ranking") {
    const scores = options.map((_, index) => Number(results.scores?.[index] ?? 0));
    const sum = scores.reduce((a, b) => a + b, 0);
    return options.map((option, index) => ({ index, option, count: scores[index],
      percent: percentOf(scores[index], sum) }))
      .sort((a, b) => b.count - a.count || a.index - b.index);
  }
  const total = Number(results.total ?? 0);
  return options.map((option, index) => {
    const count = Number(results.counts?.[index] ?? 0);
    return { index, option, count, percent: percentOf(count, total) };
  });
}

/**
 * Font sizes (em) for a word cloud: linear in the count between `min` and `max`, the same
 * every time for the same results (no randomness; the server's order is kept).
 */
export function cloudSizes(words = [], { min = 1, max = 3 } = {}) {
  const counts = words.map((word) => Number(word.count) || 0);
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  return words.map((word, index) => {
    const share = high > low ? (counts[index] - low) / (high - low) : 1;
    const size = Math.round((min + (max - min) * share) * 100) / 100;
    return { text: String(word.text ?? ""), count: counts[index], size };
  });
}

/** The values a rating poll offers: 1..5 stars or 0..10. */
export function ratingValues(scale) {
  return scale === "scale10" ? Array.from({ length: 11 }, (_, i) => i) : [1, 2, 3, 4, 5];
}

/** A rating's distribution as `{value, count, percent}` for every value of the scale. */
export function ratingLevels(results, scale) {
  const distribution = results?.distribution || {};
  const total = Number(results?.total ?? 0);
  return ratingValues(scale).map((value) => {
    const count = Number(distribution[String(value)] ?? 0);
    return { value, count, percent: percentOf(count, total) };
  });
}

/** The average to show, one decimal in the reader's locale, or null before any answer. */
export function averageText(average, locale = "en") {
  if (typeof average !== "number" || !Number.isFinite(average)) return null;
  return new Intl.NumberFormat(locale.replace("_", "-"), {
    minimumFractionDigits: 1, maximumFractionDigits: 1,
  }).format(average);
}

/** `order` with the entry at `index` moved `delta` places, kept within the list. */
export function rankingMove(order, index, delta) {
  const next = [...order];
  if (index < 0 || index >= next.length) return next;
  const target = Math.min(next.length - 1, Math.max(0, index + delta));
  const [moved] = next.splice(index, 1);
  next.splice(target, 0, moved);
  return next;
}

/** The order a ranking starts in: my answer's, else the organisers'. */
export function initialOrder(poll, mine) {
  const count = (poll.options || []).length;
  const order = mine?.order;
  if (Array.isArray(order) && order.length === count &&
      [...order].sort((a, b) => a - b).every((value, index) => value === index)) return [...order];
  return Array.from({ length: count }, (_, i) => i);
}

/**
 * The answer value of the wire from what the form holds: `fields` is
 * `{choice, choices, rating, words, text, order}` as read from the inputs (strings allowed).
 */
export function answerFromForm(kind, fields = {}) {
  switch (kind) {
    case "single":
      return { choice: fields.choice === undefined || fields.choice === null || fields.choice === ""
        ? null : Number(fields.choice) };
    case "multiple":
      return { choices: [...new Set((fields.choices || []).map(Number))].sort((a, b) => a - b) };
    case "rating":
      return { rating: fields.rating === undefined || fields.rating === null || fields.rating === ""
        ? null : Number(fields.rating) };
    case "word_cloud":
      return { words: (fields.words || []).map((word) => String(word ?? "").trim())
        .filter(Boolean).slice(0, MAX_WORDS) };
    case "open_text":
      return { text: String(fields.text ?? "").trim() };
    case "ranking":
      return { order: (fields.order || []).map(Number) };
    default:
      return null;
  }
}

const isIndex = (value, count) => Number.isInteger(value) && value >= 0 && value < count;

/**
 * Why `value` cannot be sent for `poll`, as `{key, params}` naming a server string, or null
 * when it can. The server checks the same; this only spares a round trip.
 */
export function validateAnswer(poll, value) {
  const count = (poll.options || []).length;
  if (!value) return { key: "error_invalid", params: {} };
  switch (poll.kind) {
    case "single":
      return isIndex(value.choice, count) ? null : { key: "error_choose_one", params: {} };
    case "multiple": {
      const choices = value.choices || [];
      if (!choices.length) return { key: "error_choose_some", params: {} };
      if (!choices.every((choice) => isIndex(choice, count))) return { key: "error_invalid", params: {} };
      const max = poll.max_choices || count;
      return choices.length > max ? { key: "error_too_many", params: { num: max } } : null;
    }
    case "rating":
      return ratingValues(poll.scale).includes(value.rating) ? null
        : { key: "error_choose_rating", params: {} };
    case "word_cloud": {
      const words = value.words || [];
      if (!words.length) return { key: "error_word_needed", params: {} };
      if (words.length > MAX_WORDS) return { key: "error_invalid", params: {} };
      return words.some((word) => [...word].length > WORD_LENGTH)
        ? { key: "error_word_long", params: { num: WORD_LENGTH } } : null;
    }
    case "open_text":
      if (!value.text) return { key: "error_text_needed", params: {} };
      return [...value.text].length > TEXT_LENGTH
        ? { key: "error_text_long", params: { num: TEXT_LENGTH } } : null;
    case "ranking": {
      const order = value.order || [];
      const sorted = [...order].sort((a, b) => a - b);
      return order.length === count && sorted.every((entry, index) => entry === index) ? null
        : { key: "error_invalid", params: {} };
    }
    default:
      return { key: "error_invalid", params: {} };
  }
}

/** Whether a multiple-choice form has reached its maximum (the other boxes are then locked). */
export function choicesFull(poll, chosen) {
  return poll.kind === "multiple" && chosen >= (poll.max_choices || (poll.options || []).length);
}

// --- the console's form -----------------------------------------------------------------------

/**
 * A wire text (`str` or `{lang: text}`) spread over the meeting's languages for the form's
 * inputs; a plain text goes under the default (first) language.
 */
export function textByLanguage(value, languages) {
  const texts = Object.fromEntries(languages.map((code) => [code, ""]));
  if (typeof value === "string") {
    if (languages.length) texts[languages[0]] = value;
  } else if (value && typeof value === "object") {
    for (const [code, text] of Object.entries(value)) texts[code] = String(text ?? "");
  }
  return texts;
}

/**
 * The wire text of the inputs: `{lang: text}` with the default (first) language first and the
 * empty ones left out; null when every one is empty.
 */
export function wireText(texts, languages) {
  const entries = [...new Set([...languages, ...Object.keys(texts || {})])]
    .map((code) => [code, String((texts || {})[code] ?? "").trim()])
    .filter(([, text]) => text);
  return entries.length ? Object.fromEntries(entries) : null;
}

/**
 * The `create_poll` / `update_poll` fields from the form's state, and the problems found as
 * `{field, key, params}` naming server strings (empty when it can be sent).
 * `draft` = {kind, question: {lang: text}, options: [{lang: text}], max_choices, scale,
 * results, anonymous, agenda_item_id}.
 */
export function pollPayload(draft, languages) {
  const errors = [];
  const payload = {
    kind: draft.kind,
    question: wireText(draft.question, languages),
    results: draft.results || "live",
    anonymous: Boolean(draft.anonymous),
    agenda_item_id: draft.agenda_item_id ? Number(draft.agenda_item_id) : null,
  };
  if (!KINDS.includes(draft.kind)) errors.push({ field: "kind", key: "error_invalid", params: {} });
  const main = languages[0];
  if (!payload.question || (main && !payload.question[main])) {
    errors.push({ field: "question", key: "error_question_needed", params: {} });
  }
  if (CHOICE_KINDS.includes(draft.kind)) {
    payload.options = (draft.options || []).map((texts) => wireText(texts, languages)).filter(Boolean);
    if (payload.options.length < MIN_OPTIONS || payload.options.length > MAX_OPTIONS) {
      errors.push({ field: "options", key: "error_options_count",
        params: { min: MIN_OPTIONS, max: MAX_OPTIONS } });
    } else if (main && payload.options.some((option) => !option[main])) {
      errors.push({ field: "options", key: "error_option_main_language", params: {} });
    }
  }
  if (draft.kind === "multiple") {
    const count = payload.options.length;
    const max = Number(draft.max_choices) || count;
    payload.max_choices = max;
    const countOk = count >= MIN_OPTIONS && count <= MAX_OPTIONS;
    if (countOk && (!Number.isInteger(max) || max < 1 || max > count)) {
      errors.push({ field: "max_choices", key: "error_max_choices",
        params: { num: count } });
    }
  }
  if (draft.kind === "rating") payload.scale = draft.scale === "scale10" ? "scale10" : "stars5";
  return { payload, errors };
}

/** The actions the console offers for a poll of `status`. */
export function pollActions(status) {
  if (status === "draft") return ["edit", "open", "delete"];
  if (status === "open") return ["close"];
  if (status === "closed") return ["open"];
  return [];
}
