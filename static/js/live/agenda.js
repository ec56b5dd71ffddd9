// The agenda's choices in live pages' menus, rebuilt when `agenda_changed` arrives: the Q&A
// item filters and "About" menu (from the event's `agenda`) and the console's "Jump to item"
// menu (from its `clock.items`).
import { h } from "./dom.js";
import { localText } from "./local-text.js";

/** `{value, label}` for every item, and with `speakers` one per item speaker after it. */
export function agendaChoices(agenda, { speakers = false } = {}) {
  const choices = [];
  for (const item of agenda || []) {
    const title = localText(item.title);
    choices.push({ value: String(item.id), label: title });
    if (!speakers) continue;
    for (const speaker of item.speakers || []) {
      choices.push({ value: `${item.id}:${speaker.id}`, label: `${title} · ${speaker.name}` });
    }
  }
  return choices;
}

/** The "Jump to item" choices: the clock's items numbered in agenda order. */
export function jumpChoices(items) {
  return (items || []).map((item, index) => ({ value: String(item.id),
    label: `${index + 1}. ${localText(item.title)}` }));
}

/**
 * Replace `select`'s choices, keeping its leading empty-value options ("All items") and the
 * chosen value while it still exists; a choice that disappeared fires `change` so the page
 * drops it from its filters too.
 */
export function replaceChoices(select, choices) {
  if (!select) return;
  const chosen = select.value;
  const fixed = [...select.options].filter((option) => option.value === "");
  const current = [...select.options].filter((option) => option.value !== "");
  if (current.length === choices.length && current.every((option, i) =>
    option.value === choices[i].value && option.textContent === choices[i].label)) return;
  select.replaceChildren(...fixed,
    ...choices.map((choice) => h("option", { value: choice.value, text: choice.label })));
  const kept = [...select.options].some((option) => option.value === chosen);
  if (kept) {
    select.value = chosen;
  } else {
    select.value = select.options.length ? select.options[0].value : "";
    select.dispatchEvent(new Event("change"));
  }
}
