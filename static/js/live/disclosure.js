// A disclosure button (`data-disclosure="<id>"`, rendered with aria-expanded="false"): shows and
// hides the details of the element it names with the `is-open` class, which the stylesheet reads.

export function bindDisclosures(root = document) {
  for (const button of root.querySelectorAll("button[data-disclosure]")) {
    const target = document.getElementById(button.dataset.disclosure);
    if (!target) continue;
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      target.classList.toggle("is-open", open);
    });
  }
}
