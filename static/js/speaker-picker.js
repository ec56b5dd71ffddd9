// The agenda item's speakers: without this script the form has one row per speaker (speaker,
// role, place, remove) and empty rows; with it, a combobox (WAI-ARIA APG pattern, as the
// console's "Merge into…" picker) finds the meeting's speakers by name or affiliation, and
// each chosen speaker gets a role, "Move up", "Move down" and "Remove". The form posts the
// same fields either way; the server checks everything again.
import { foldForSearch, stepIndex } from "./qa/merge.js";
import { h } from "./live/dom.js";

/** At most this many options are drawn; typing narrows the rest. */
export const SHOWN_MAX = 50;

/** Speakers matching every typed word in their name, affiliation or title, minus `chosen`. */
export function filterSpeakers(speakers, query, chosen = new Set()) {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  return speakers.filter((speaker) => {
    if (chosen.has(speaker.id)) return false;
    const haystack = foldForSearch([speaker.name, speaker.affiliation, speaker.title].join(" "));
    return words.every((word) => haystack.includes(word));
  });
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_match, key) => String(values[key] ?? ""));
}

class SpeakerPicker {
  constructor(root) {
    this.root = root;
    this.speakers = JSON.parse(root.dataset.speakers || "[]");
    this.roles = JSON.parse(root.dataset.roles || "[]");
    this.strings = JSON.parse(root.dataset.strings || "{}");
    this.byId = new Map(this.speakers.map((speaker) => [speaker.id, speaker]));
    this.list = root.querySelector("#speaker-rows");
    this.status = root.querySelector("#speaker-status");
    this.input = root.querySelector("#speaker-search");
    this.listbox = root.querySelector("#speaker-options");
    this.next = 0;
    this.shown = [];
    this.active = -1;

    const rows = [...this.list.querySelectorAll("li.speaker-row")].map((row, index) => ({
      id: Number(row.querySelector("select[name$='-speaker']")?.value || 0),
      role: row.querySelector("select[name$='-role']")?.value || "speaker",
      order: Number(row.querySelector("input[name$='-order']")?.value || index + 1),
      removed: row.querySelector("input[name$='-remove']")?.checked,
      index,
    })).filter((row) => row.id && !row.removed && this.byId.has(row.id))
      .sort((a, b) => a.order - b.order || a.index - b.index);
    this.list.replaceChildren(...rows.map((row) => this.row(row.id, row.role)));
    this.renumber();
    root.querySelector("#speaker-rows-hint")?.setAttribute("hidden", "");
    root.querySelector(".speaker-add").hidden = false;

    this.input.addEventListener("input", () => this.update({ expand: true,
      activateFirst: this.input.value.trim() !== "" }));
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("click", () => this.update({ expand: true }));
    this.input.addEventListener("blur", () => this.setExpanded(false));
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
  }

  chosen() {
    return new Set([...this.list.querySelectorAll("li.speaker-row")]
      .map((row) => Number(row.dataset.speakerId)));
  }

  row(id, role) {
    const speaker = this.byId.get(id);
    const index = this.next++;
    const prefix = `speakers-${index}`;
    const select = h("select", { name: `${prefix}-role`, id: `${prefix}-role` },
      this.roles.map(([value, label]) => h("option", { value, text: label })));
    select.value = role;
    const button = (text, action) => h("button", { type: "button", class: "button small",
      onclick: (event) => action(event.currentTarget.closest("li")) },
    [text, h("span", { class: "visually-hidden", text: `: ${speaker.name}` })]);
    return h("li", { class: "speaker-row js-row", dataset: { speakerId: id } }, [
      h("input", { type: "hidden", name: `${prefix}-speaker`, value: id }),
      h("input", { type: "hidden", name: `${prefix}-order`, value: 0, class: "speaker-order" }),
      h("span", { class: "speaker-name" }, [
        h("strong", { text: speaker.name }),
        speaker.affiliation ? h("span", { class: "muted", text: ` (${speaker.affiliation})` })
          : null,
      ]),
      h("label", { for: `${prefix}-role`, class: "visually-hidden",
        text: `${this.strings.role}: ${speaker.name}` }),
      select,
      button(this.strings.up, (li) => this.move(li, -1)),
      button(this.strings.down, (li) => this.move(li, 1)),
      button(this.strings.remove, (li) => this.remove(li)),
    ]);
  }

  renumber() {
    const rows = [...this.list.querySelectorAll("li.speaker-row")];
    rows.forEach((row, position) => {
      row.querySelector(".speaker-order").value = String(position + 1);
      const [up, down] = row.querySelectorAll("button");
      up.disabled = position === 0;
      down.disabled = position === rows.length - 1;
    });
  }

  say(message) {
    this.status.textContent = message;
  }

  add(speaker) {
    if (this.list.children.length >= this.strings.max) {
      this.say(this.strings.full);
      return;
    }
    this.list.append(this.row(speaker.id, "speaker"));
    this.renumber();
    this.input.value = "";
    this.update({ expand: false });
    this.say(fill(this.strings.added, { name: speaker.name }));
    this.input.focus();
  }

  remove(li) {
    const name = this.byId.get(Number(li.dataset.speakerId))?.name;
    const after = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    this.renumber();
    this.say(fill(this.strings.removed, { name }));
    const target = after?.querySelector("button:last-of-type");
    (target || this.input).focus();
  }

  move(li, step) {
    const other = step < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    const focused = document.activeElement;
    if (step < 0) other.before(li); else other.after(li);
    this.renumber();
    const position = [...this.list.children].indexOf(li) + 1;
    const name = this.byId.get(Number(li.dataset.speakerId))?.name;
    this.say(fill(this.strings.moved, { name, n: position }));
    if (focused && !focused.disabled && li.contains(focused)) focused.focus();
    else li.querySelector(`button:nth-of-type(${step < 0 ? 2 : 1})`)?.focus();
  }

  update({ expand, activateFirst = false }) {
    const found = filterSpeakers(this.speakers, this.input.value, this.chosen());
    this.shown = found.slice(0, SHOWN_MAX);
    this.active = activateFirst && this.shown.length ? 0 : -1;
    const options = this.shown.map((speaker) => h("li", {
      role: "option", id: `speaker-option-${speaker.id}`, class: "combobox-option",
      "aria-selected": "false", onclick: () => this.add(speaker) }, [
      h("strong", { text: speaker.name }),
      speaker.affiliation ? h("span", { class: "muted", text: ` · ${speaker.affiliation}` })
        : null,
    ]));
    if (!options.length) {
      options.push(h("li", { class: "combobox-empty", "aria-disabled": "true",
        text: this.strings.none }));
    }
    this.listbox.replaceChildren(...options);
    this.setExpanded(expand);
  }

  setExpanded(on) {
    this.input.setAttribute("aria-expanded", on ? "true" : "false");
    this.listbox.hidden = !on;
    this.setActive(on ? this.active : -1);
  }

  setActive(index) {
    this.active = index;
    const options = [...this.listbox.querySelectorAll("[role=option]")];
    options.forEach((node, i) => {
      node.setAttribute("aria-selected", i === index ? "true" : "false");
      node.classList.toggle("active", i === index);
      if (i === index) node.scrollIntoView({ block: "nearest" });
    });
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
    } else this.input.removeAttribute("aria-activedescendant");
  }

  onKey(event) {
    const open = this.input.getAttribute("aria-expanded") === "true";
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) this.update({ expand: true });
      this.setActive(stepIndex(this.active, event.key === "ArrowDown" ? 1 : -1,
        this.shown.length));
    } else if (event.key === "Enter") {
      // Enter never submits the form from the search box.
      event.preventDefault();
      if (open && this.active >= 0) this.add(this.shown[this.active]);
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        this.setExpanded(false);
      } else this.input.value = "";
    }
  }
}

const root = globalThis.document?.getElementById("speaker-picker");
if (root && !root.closest("fieldset[disabled]")) new SpeakerPicker(root);
