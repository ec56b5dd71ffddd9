// Registration form: after a failed submit the page loads with the error summary focused, so
// keyboard and screen-reader users start from what went wrong instead of from <body>; the
// fields marked below it come next in the Tab order.

const summary = document.querySelector(".registration-form .form-errors");
// After the page's #register fragment has been scrolled to: that step moves focus to <body>.
if (summary) {
  window.addEventListener("load", () => requestAnimationFrame(() => summary.focus()));
}
