// Times in the meeting's zone and the viewer's own, formatted by the browser (Intl).

const lang = globalThis.document?.documentElement.lang || undefined;
export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function clock(date, timeZone) {
  return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", timeZone }).format(date);
}

function dayNumber(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit",
    day: "2-digit" }).format(date);
  return Date.parse(`${parts}T00:00:00Z`) / 86400000;
}

export function placeName(timeZone) {
  return timeZone.split("/").pop().replaceAll("_", " ");
}

/**
 * Format `iso` as {meeting: "10:00", viewer: "21:00", dayShift: -1} where viewer is null when
 * the viewer's clock reads the same as the meeting's.
 */
export function dualClock(iso, meetingZone, zone = viewerZone) {
  const date = new Date(iso);
  const meeting = clock(date, meetingZone);
  const viewer = clock(date, zone);
  const dayShift = dayNumber(date, zone) - dayNumber(date, meetingZone);
  if (viewer === meeting && dayShift === 0) return { meeting, viewer: null, dayShift: 0 };
  return { meeting, viewer, dayShift };
}

/** "11:30 Shanghai · 22:30 Lima (-1 day)"; `strings.day_after` / `day_before` name the shift. */
export function dualText(iso, meetingZone, strings, zone = viewerZone) {
  const t = dualClock(iso, meetingZone, zone);
  let text = `${t.meeting} ${placeName(meetingZone)}`;
  if (t.viewer) {
    text += ` · ${t.viewer} ${placeName(zone)}`;
    if (t.dayShift > 0) text += ` (${strings.day_after || "+1"})`;
    if (t.dayShift < 0) text += ` (${strings.day_before || "-1"})`;
  }
  return text;
}
