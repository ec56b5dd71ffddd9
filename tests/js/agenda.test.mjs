// node --test tests/js : the agenda menus live pages rebuild on `agenda_changed` (static/js/live/agenda.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { agendaChoices, jumpChoices } from "../../static/js/live/agenda.js";

const agenda = [
  { id: 7, title: "Opening", speakers: [] },
  { id: 3, title: "Community", speakers: [{ id: 2, name: "Ana" }, { id: 5, name: "Wei" }] },
];

test("item menus list every item in agenda order, by id", () => {
  assert.deepEqual(agendaChoices(agenda), [
    { value: "7", label: "Opening" }, { value: "3", label: "Community" },
  ]);
  assert.deepEqual(agendaChoices(undefined), []);
});

test("the About menu adds each item's speakers right after it", () => {
  assert.deepEqual(agendaChoices(agenda, { speakers: true }).map((c) => c.value),
    ["7", "3", "3:2", "3:5"]);
  assert.equal(agendaChoices(agenda, { speakers: true })[3].label, "Community · Wei");
});

test("the jump menu numbers the clock's items in their new order", () => {
  const items = [{ id: 3, title: "Community" }, { id: 7, title: "Opening" }];
  assert.deepEqual(jumpChoices(items), [
    { value: "3", label: "1. Community" }, { value: "7", label: "2. Opening" },
  ]);
});
