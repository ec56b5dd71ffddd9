// The one way a page goes live:
//
//   const connection = openLivePage(root);   // + { extraAuth } for the presenter token
//   connection.on(...); connection.onSnapshot(...);
//   connection.start();
//
// `openLivePage` connects to the meeting of `root` (`data-meeting-id`) with the page's CSRF
// token and attaches the panels the page holds (agenda clock, clock controls, message board,
// polls);
// the page subscribes to what it shows and then starts, so no event arrives before its handler.
// Relative, so it carries the page's versioned prefix (static/v/<hash>) like every import.
import { io } from "../vendor/socket.io.esm.min.js";
import { attachBoard } from "./board.js";
import { attachClockControls } from "./clock-controls.js";
import { attachClock } from "./clock.js";
import { LiveConnection } from "./live/connection.js";
import { attachPolls } from "./polls/panel.js";

const PANELS = [
  ["[data-clock]", attachClock],
  ["[data-clock-controls]", attachClockControls],
  ["[data-board]", attachBoard],
  ["[data-polls]", attachPolls],
];

/** A connection (not yet started) for `root`'s meeting, with the page's panels attached. */
export function openLivePage(root, { extraAuth = {} } = {}) {
  const connection = new LiveConnection({
    io,
    meetingId: Number(root.dataset.meetingId),
    csrfToken: document.querySelector('meta[name="csrf-token"]').content,
    extraAuth,
  });
  for (const [selector, attach] of PANELS) {
    const panel = document.querySelector(selector);
    if (panel) attach(connection, panel);
  }
  window.addEventListener("online", () => connection.retryNow());
  return connection;
}
