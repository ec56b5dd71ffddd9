// Times in each of the meeting's zones and the viewer's, written exactly as the server writes
// them (webapp/core/timefmt.py). The page sends the labels: `times` = {pattern, am, pm,
// zones: [{zone, label}], viewer: {zone, label} | null, day_after, day_before, separator}.
// This module only computes the digits; it never names a zone or picks a format itself.

export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const readers = new Map();

function reader(timeZone) {
  if (!readers.has(timeZone)) {
    readers.set(timeZone, new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric",
    }));
  }
  return readers.get(timeZone);
}

/** The wall clock in `timeZone`: {day (days since 1970), hour (0-23), minute}. */
export function wallClock(date, timeZone) {
  const parts = {};
  for (const p of reader(timeZone).formatToParts(date)) parts[p.type] = Number(p.value);
  return {
    day: Date.UTC(parts.year, parts.month - 1, parts.day) / 86400000,
    hour: parts.hour % 24,
    minute: parts.minute,
  };
}

const pad = (n) => String(n).padStart(2, "0");

/** Write hour and minute with a CLDR pattern ("HH:mm", "h:mm a", "H:mm"). */
export function formatPattern(wall, times) {
  const h12 = wall.hour % 12 || 12;
  return times.pattern.replace(/'((?:[^']|'')*)'|([A-Za-z])\2*/g, (token, quoted) => {
    if (quoted !== undefined) return quoted.replaceAll("''", "'") || "'";
    switch (token) {
      case "H": return String(wall.hour);
      case "HH": return pad(wall.hour);
      case "h": return String(h12);
      case "hh": return pad(h12);
      case "m": return String(wall.minute);
      case "mm": return pad(wall.minute);
      default: return token[0] === "a" ? (wall.hour < 12 ? times.am : times.pm) : token;
    }
  });
}

function sameClock(a, b) {
  return a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

/**
 * The readings of `iso`: each meeting zone, then the viewer's when it reads differently from
 * all of them; each {zone, label, time, dayShift} with the shift against the first zone.
 */
export function zoneReadings(iso, times) {
  const date = new Date(iso);
  const zones = [...times.zones];
  const clocks = zones.map((z) => wallClock(date, z.zone));
  if (times.viewer) {
    const mine = wallClock(date, times.viewer.zone);
    if (!clocks.some((c) => sameClock(c, mine))) {
      zones.push(times.viewer);
      clocks.push(mine);
    }
  }
  return zones.map((z, i) => ({
    zone: z.zone, label: z.label, time: formatPattern(clocks[i], times),
    dayShift: clocks[i].day - clocks[0].day,
  }));
}

/** "11:30 上海 · 22:30 利马 (-1 天)", as `ZoneTimes.line()` on the server. */
export function zoneLine(iso, times) {
  return zoneReadings(iso, times).map((r) => {
    let text = `${r.time} ${r.label}`;
    if (r.dayShift > 0) text += ` (${times.day_after})`;
    if (r.dayShift < 0) text += ` (${times.day_before})`;
    return text;
  }).join(times.separator);
}
