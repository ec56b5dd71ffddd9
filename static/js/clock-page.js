// The standalone clock page (agenda clock, staff controls, message board) on one connection.
import { openLivePage } from "./live-page.js";

const root = document.querySelector("[data-live-page]");
const connection = openLivePage(root);
const status = root.querySelector("[data-live-status]");
connection.onStatus((state, message) => {
  status.textContent = state === "refused" && message ? message : "";
});
connection.start();
