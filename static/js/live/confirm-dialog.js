// Asking before a destructive action, in a native modal <dialog> (showModal): its words come
// from the server-rendered page in the page's language, focus starts on Cancel (the least
// destructive choice), Escape cancels, and focus goes back to the control that opened it.
//
// The dialog's frame is the page's <template id="confirm-dialog-template"> (templates/base.html):
// a <form method="dialog"> whose buttons close the dialog with their value, so the answer is
// the dialog's returnValue: "confirm" only when the action button was pressed.

const TEMPLATE_ID = "confirm-dialog-template";
let made = 0;

/** The words of a confirmation from an element's `data-confirm-*` attributes. */
export function confirmText(dataset) {
  return {
    title: dataset.confirmTitle || "",
    message: dataset.confirmMessage || "",
    action: dataset.confirmAction || "",
  };
}

/** Whether a closed dialog's return value means "go ahead". */
export function confirmed(returnValue) {
  return returnValue === "confirm";
}

/** Whether an element is on the page and can take focus. */
function focusable(element) {
  return Boolean(element && element.isConnected && !element.disabled
    && typeof element.focus === "function");
}

/**
 * How to find the opener again if a live list re-renders while the dialog is open: its
 * `data-role` inside the nearest item carrying a `data-id` (a question card, a person's row).
 */
export function openerAddress(opener) {
  const role = opener?.dataset?.role;
  const item = role && typeof opener.closest === "function" ? opener.closest("[data-id]") : null;
  if (!item) return null;
  const quoted = (value) => `"${String(value).replace(/["\\]/g, "\\$&")}"`;
  return `${item.tagName.toLowerCase()}[data-id=${quoted(item.dataset.id)}] `
    + `[data-role=${quoted(role)}]`;
}

/**
 * Where focus goes back to: the opener while it is still on the page and can take focus,
 * else the control that replaced it at the same address.
 */
export function focusTarget(opener, address = null, root = globalThis.document) {
  if (focusable(opener)) return opener;
  if (!address || !root) return null;
  const replacement = root.querySelector(address);
  return focusable(replacement) ? replacement : null;
}

/**
 * Ask `title` (and `message`) with `action` naming the confirm button ("Ban", "End the
 * meeting"). Resolves true when confirmed, false on Cancel or Escape.
 */
export function confirmAction({ title, message = "", action }, opener = document.activeElement) {
  const template = document.getElementById(TEMPLATE_ID);
  const dialog = template.content.firstElementChild.cloneNode(true);
  const id = `confirm-dialog-${++made}`;
  const heading = dialog.querySelector("[data-confirm-title]");
  const text = dialog.querySelector("[data-confirm-message]");
  heading.id = `${id}-title`;
  heading.textContent = title;
  dialog.setAttribute("aria-labelledby", heading.id);
  if (message) {
    text.id = `${id}-message`;
    text.textContent = message;
    dialog.setAttribute("aria-describedby", text.id);
  } else {
    text.remove();
  }
  dialog.querySelector('button[value="confirm"]').textContent = action;
  document.body.append(dialog);
  const address = openerAddress(opener);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      const answer = confirmed(dialog.returnValue);
      dialog.remove();
      focusTarget(opener, address)?.focus();
      resolve(answer);
    }, { once: true });
    dialog.showModal();
    dialog.querySelector('button[value="cancel"]').focus();
  });
}

/**
 * Forms marked `data-confirm-action` ask first. Without scripts they submit straight away,
 * which is the fallback: the server needs no second step.
 */
export function bindConfirmForms(root = document) {
  for (const form of root.querySelectorAll("form[data-confirm-action]")) {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.confirmed === "yes") { delete form.dataset.confirmed; return; }
      event.preventDefault();
      const opener = event.submitter || document.activeElement;
      if (!(await confirmAction(confirmText(form.dataset), opener))) return;
      form.dataset.confirmed = "yes";
      form.requestSubmit(event.submitter || undefined);
    });
  }
}
