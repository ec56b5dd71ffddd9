// How close a text is to its length limit, for the one announcement made near it.

/** "ok", "near" (90 % of `max` used) or "over", from the characters `left` out of `max`. */
export function limitLevel(left, max) {
  if (left < 0) return "over";
  if (max > 0 && left <= Math.floor(max / 10)) return "near";
  return "ok";
}
