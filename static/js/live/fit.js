// Type that fits its box (the presenter screen): the join address on one line, a long highlighted
// question inside its row. The stylesheet's size is the largest; the size found is set as the
// box's `--fit` custom property, which the stylesheet reads.

/**
 * The largest whole size from `min` to `max` for which `fits(size)` holds, by halving; `min`
 * when none does (the floor that still reads from the back of a room).
 */
export function largestFitting(min, max, fits) {
  let low = Math.ceil(min);
  let high = Math.floor(max);
  if (high <= low) return low;
  if (fits(high)) return high;
  high -= 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Shrink the type of `box` until `overflows()` is false: `sample` is an element inside it whose
 * computed font size is the starting (largest) one. Run again after a change or a resize.
 */
export function fitText(box, sample, overflows, { min = 14 } = {}) {
  box.style.removeProperty("--fit");
  if (!sample || !overflows()) return;
  const start = parseFloat(window.getComputedStyle(sample).fontSize) || min;
  const size = largestFitting(min, start, (px) => {
    box.style.setProperty("--fit", `${px}px`);
    return !overflows();
  });
  box.style.setProperty("--fit", `${size}px`);
}
