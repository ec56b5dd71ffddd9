// Time-zone pickers: a search box before each select[data-zone-picker] narrows its options as
// one types. Without this script the select works as it is. The words come from the page
// (script[data-zone-picker-strings]) and every option's label from the server: this module
// never writes a zone name or an offset itself.
import { zoneMatches } from "./live/zone-filter.js";

const stringsNode = document.querySelector("script[data-zone-picker-strings]");
const strings = stringsNode ? JSON.parse(stringsNode.textContent) : null;

function enhance(select, index) {
  const all = [...select.options].map((option) => ({
    value: option.value, label: option.textContent, blank: option.value === "",
  }));
  const id = `${select.id || `zone-picker-${index}`}-search`;
  const wrapper = document.createElement("div");
  wrapper.className = "zone-search";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = strings.search;
  const input = document.createElement("input");
  input.type = "search";
  input.id = id;
  input.autocomplete = "off";
  input.setAttribute("aria-controls", select.id);
  const hint = document.createElement("span");
  hint.className = "hint";
  hint.id = `${id}-hint`;
  hint.textContent = strings.hint;
  const status = document.createElement("span");
  status.className = "zone-search-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  input.setAttribute("aria-describedby", hint.id);
  wrapper.append(label, input, hint, status);
  select.before(wrapper);

  let timer = null;
  function filter() {
    const query = input.value.trim();
    const chosen = select.value;
    const shown = all.filter((o) => o.blank || o.value === chosen || !query ||
      zoneMatches(query, o.label, o.value));
    select.replaceChildren(...shown.map((o) => new Option(o.label, o.value, false,
      o.value === chosen)));
    const found = all.filter((o) => !o.blank && zoneMatches(query, o.label, o.value)).length;
    clearTimeout(timer);
    // Announced after a pause in typing, so a screen reader is not interrupted per letter.
    timer = setTimeout(() => {
      status.textContent = !query ? "" : found ? strings.count.replace("%(n)s", String(found))
        : strings.none;
    }, 400);
  }

  input.addEventListener("input", filter);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "Enter") {
      event.preventDefault();  // Enter picks from the list rather than sending the form
      const firstMatch = [...select.options].find((o) => o.value !== "" &&
        zoneMatches(input.value, o.textContent, o.value));
      if (event.key === "Enter" && firstMatch && input.value.trim()) {
        select.value = firstMatch.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      select.focus();
    }
  });
}

if (strings) {
  document.querySelectorAll("select[data-zone-picker]").forEach(enhance);
}
