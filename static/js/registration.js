// Registration form: after a failed submit, move focus to the first field with an error
// (the summary above it is announced; the field is where the fix happens).

const form = document.querySelector(".registration-form");
const firstInvalid = form?.querySelector("[aria-invalid='true']");
if (firstInvalid) {
  firstInvalid.focus();
}
