// "Merge into…" in the console: which questions a question may be merged into, the filter the
// moderator types, and the combobox that picks one (WAI-ARIA APG combobox with a listbox popup).
// The server decides (qa.services.merge); this only offers what it would accept.
import { format, plural } from "../live/data.js";
import { h } from "../live/dom.js";
import { langAttr } from "./common.js";

/** Statuses a question may be merged into (the server's rule too). */
export const MERGE_TARGET_STATUSES = ["pending", "live", "answered"];

/** At most this many options are drawn; typing narrows the rest. */
export const MERGE_SHOWN_MAX = 50;

/** The questions `source` may be merged into: the others still open and not merged themselves. */
export function mergeTargets(questions, source) {
  return [...questions].filter((q) => q.id !== source.id &&
    MERGE_TARGET_STATUSES.includes(q.status) && !q.merged_into_id);
}

/** Lower case without accents, so "lucia" finds "Lucía" and "QUE" finds "qué". */
export function foldForSearch(text) {
  return String(text ?? "").normalize("NFD").replace(/\p{Mn}/gu, "").toLocaleLowerCase();
}

/**
 * The targets matching what the moderator typed: every word must be found in the text, the
 * asker's name or the number (`12` or `#12`). A number that is a question's own comes first.
 */
export function filterMergeTargets(targets, query) {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [...targets];
  const numbers = words.map((word) => /^#?(\d+)$/.exec(word)?.[1]).filter(Boolean);
  const found = targets.filter((question) => {
    const id = String(question.id);
    const haystack = foldForSearch([question.text, question.author?.name].join(" "));
    return words.every((word) => {
      const number = /^#(\d+)$/.exec(word)?.[1];
      if (number) return id.startsWith(number);
      return haystack.includes(word) || id === word;
    });
  });
  const exact = (question) => (numbers.includes(String(question.id)) ? 0 : 1);
  return found.map((question, index) => ({ question, index }))
    .sort((a, b) => exact(a.question) - exact(b.question) || a.index - b.index)
    .map(({ question }) => question);
}

/** The option after `index` by `step` (±1), wrapping round; -1 when there is none. */
export function stepIndex(index, step, length) {
  if (length <= 0) return -1;
  if (index < 0) return step > 0 ? 0 : length - 1;
  return (index + step + length) % length;
}

/**
 * The picker under a question in the console. `elements` are the template's nodes; `describe`
 * gives an option's second line; `merge(source, target)` sends the command and resolves to
 * whether it succeeded. Escape anywhere in it closes it and gives the focus back to `opener`.
 */
export class MergePicker {
  constructor(elements, { strings, describe, merge }) {
    Object.assign(this, elements, { strings, describe, merge });
    this.source = null;
    this.questions = [];
    this.shown = [];
    this.active = -1;
    this.chosen = null;
    this.input.addEventListener("input", () => {
      this.chosen = null;
      this.update({ expand: true, activateFirst: this.input.value.trim() !== "" });
    });
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("click", () => {
      if (!this.expanded()) this.update({ expand: true });
    });
    this.panel.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      this.close({ focus: true });
    });
    // Pressing on an option must not take the focus from the input (the combobox keeps it).
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
    this.send.addEventListener("click", () => this.confirm());
    this.cancel.addEventListener("click", () => this.close({ focus: true }));
  }

  isOpen() {
    return !this.panel.hidden;
  }

  expanded() {
    return this.input.getAttribute("aria-expanded") === "true";
  }

  /** Show the picker for `source`, all of `questions` as candidates, the focus in the input. */
  open(source, questions) {
    this.source = source;
    this.questions = questions;
    this.chosen = null;
    this.shown = [];
    this.active = -1;
    this.input.value = "";
    this.panel.hidden = false;
    this.opener.setAttribute("aria-expanded", "true");
    this.update({ expand: true });
    this.input.focus();
  }

  close({ focus = false } = {}) {
    if (!this.isOpen()) return;
    this.panel.hidden = true;
    this.opener.setAttribute("aria-expanded", "false");
    this.setExpanded(false);
    this.source = null;
    this.chosen = null;
    if (focus) this.opener.focus();
  }

  /** The questions changed (another moderator, a vote): redraw without losing the place. */
  refresh(source, questions) {
    if (!this.isOpen()) return;
    if (!source || source.id !== this.source?.id) { this.close(); return; }
    this.source = source;
    this.questions = questions;
    if (this.chosen) {
      this.chosen = mergeTargets(questions, source).find((q) => q.id === this.chosen.id) || null;
    }
    this.update({ expand: this.expanded() });
  }

  update({ expand, activateFirst = false }) {
    const activeId = this.shown[this.active]?.id;
    const found = filterMergeTargets(mergeTargets(this.questions, this.source), this.input.value);
    this.shown = found.slice(0, MERGE_SHOWN_MAX);
    const kept = this.shown.findIndex((q) => q.id === activeId);
    this.active = activateFirst ? (this.shown.length ? 0 : -1) : kept;
    const count = found.length === 0 ? this.strings.merge_none
      : found.length > this.shown.length
        ? format(this.strings.merge_more, { shown: this.shown.length, num: found.length })
        : plural(this.strings, "merge_matches", found.length);
    // A status region: say it again only when it changed (votes redraw the list often).
    if (this.count.textContent !== count) this.count.textContent = count;
    this.listbox.replaceChildren(...this.shown.map((question, index) => this.option(question, index)));
    this.setExpanded(expand && this.shown.length > 0);
    this.showChoice();
  }

  option(question, index) {
    return h("li", { role: "option", id: `merge-option-${question.id}`,
      class: `merge-option${index === this.active ? " active" : ""}`,
      "aria-selected": index === this.active ? "true" : "false",
      onclick: () => this.pick(index) }, [
      h("span", { class: "merge-number", text: `#${question.id}` }), " ",
      h("span", { class: "merge-text", lang: langAttr(question.language), text: question.text }),
      h("span", { class: "merge-meta", text: this.describe(question) }),
    ]);
  }

  setExpanded(on) {
    this.input.setAttribute("aria-expanded", on ? "true" : "false");
    this.listbox.hidden = !on;
    this.setActive(on ? this.active : -1);
  }

  setActive(index) {
    if (this.expanded()) this.active = index;
    for (const [i, node] of [...this.listbox.children].entries()) {
      const on = i === index;
      node.setAttribute("aria-selected", on ? "true" : "false");
      node.classList.toggle("active", on);
      if (on) node.scrollIntoView({ block: "nearest" });
    }
    const node = index >= 0 ? this.listbox.children[index] : null;
    if (node) this.input.setAttribute("aria-activedescendant", node.id);
    else this.input.removeAttribute("aria-activedescendant");
  }

  onKey(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      event.stopPropagation();
      if (!this.expanded()) this.setExpanded(this.shown.length > 0);
      this.setActive(stepIndex(this.active, event.key === "ArrowDown" ? 1 : -1,
        this.shown.length));
    } else if (event.key === "Enter") {
      event.preventDefault();
      event.stopPropagation();
      if (this.expanded() && this.active >= 0) this.pick(this.active);
    }
  }

  /** Take the option: the input shows it, the list closes, the confirmation appears. */
  pick(index) {
    const question = this.shown[index];
    if (!question) return;
    this.chosen = question;
    this.active = index;
    this.input.value = `#${question.id} ${question.text.slice(0, 120)}`;
    this.setExpanded(false);
    this.showChoice();
    this.input.focus();
  }

  showChoice() {
    this.confirmBox.hidden = !this.chosen;
    this.send.disabled = !this.chosen;
    this.summary.textContent = this.chosen ? format(this.strings.merge_summary, {
      source: `#${this.source.id}`, target: `#${this.chosen.id}` }) : "";
  }

  async confirm() {
    if (!this.chosen || !this.source) return;
    this.send.disabled = true;
    const target = this.chosen;
    const done = await this.merge(this.source, target);
    if (done) this.close({ focus: true });
    else this.send.disabled = !this.chosen;
  }
}
