// node --test tests/js : the confirmation dialog's decisions (static/js/live/confirm-dialog.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { confirmText, confirmed, focusTarget, openerAddress } from "../../static/js/live/confirm-dialog.js";

test("only the confirm button's value goes ahead; Escape and Cancel do not", () => {
  assert.equal(confirmed("confirm"), true);
  assert.equal(confirmed("cancel"), false);
  assert.equal(confirmed(""), false);  // Escape closes a modal dialog with no return value
  assert.equal(confirmed(undefined), false);
});

test("the words come from the form's server-rendered data attributes", () => {
  const dataset = {
    confirmTitle: "¿Eliminar este ponente?", confirmMessage: "No se puede deshacer.",
    confirmAction: "Eliminar",
  };
  assert.deepEqual(confirmText(dataset), {
    title: "¿Eliminar este ponente?", message: "No se puede deshacer.", action: "Eliminar",
  });
  assert.deepEqual(confirmText({}), { title: "", message: "", action: "" });
});

test("focus goes back to the opener only while it is on the page and enabled", () => {
  const button = { isConnected: true, disabled: false, focus() {} };
  assert.equal(focusTarget(button), button);
  assert.equal(focusTarget({ ...button, isConnected: false }), null);
  assert.equal(focusTarget({ ...button, disabled: true }), null);
  assert.equal(focusTarget({ isConnected: true }), null);
  assert.equal(focusTarget(null), null);
});

test("a re-rendered list gives focus to the opener's replacement at the same address", () => {
  const item = { tagName: "LI", dataset: { id: '7"x' } };
  const opener = { isConnected: false, disabled: false, focus() {}, dataset: { role: "withdraw" },
    closest: (selector) => (selector === "[data-id]" ? item : null) };
  const address = openerAddress(opener);
  assert.equal(address, 'li[data-id="7\\"x"] [data-role="withdraw"]');
  const replacement = { isConnected: true, disabled: false, focus() {} };
  const root = { querySelector: (selector) => (selector === address ? replacement : null) };
  assert.equal(focusTarget(opener, address, root), replacement);
  assert.equal(focusTarget(opener, address, { querySelector: () => null }), null);
  assert.equal(focusTarget(opener, address, { querySelector: () => ({ ...replacement, disabled: true }) }), null);
  assert.equal(openerAddress({ dataset: {}, closest: () => item }), null);
  assert.equal(openerAddress(null), null);
});
