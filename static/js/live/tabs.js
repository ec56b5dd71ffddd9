// Keyboard for tab lists (WAI-ARIA APG tabs, automatic activation): the arrows move to the
// next or previous tab and wrap, Home and End go to the first and last.

/** The index of the tab `key` moves to from `index` among `count` tabs; null for other keys. */
export function tabKeyTarget(key, index, count) {
  if (count < 1) return null;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  const step = { ArrowRight: 1, ArrowLeft: -1 }[key];
  if (!step) return null;
  return (index + step + count) % count;
}
