// The two charts of the gradient-descent animation (descent-animation.js), drawn in SVG:
// the scatter plot with the lines, and the loss curve.  Here is what they share: the size
// and margins, an empty chart (frame, axis titles, a clipped layer for the data), the grid
// with its tick labels, and where a line crosses the plot.

import { formatNumber } from "./numbers.js";
import { svg } from "./svg.js";

export const WIDTH = 480;
export const HEIGHT = 320;
const MARGIN = { left: 58, right: 24, top: 14, bottom: 46 };

/** The plotting area inside the margins, in the charts' own coordinates (their viewBox). */
export const PLOT = {
  left: MARGIN.left,
  right: WIDTH - MARGIN.right,
  top: MARGIN.top,
  bottom: HEIGHT - MARGIN.bottom,
};

/** The interval [lo, hi] widened by `fraction` of its span on each side (never empty). */
export function padded(lo, hi, fraction = 0.06) {
  const span = hi - lo || Math.abs(hi) || 1;
  return [lo - span * fraction, hi + span * fraction];
}

/**
 * The visible part of the line y = w1·x + w0 inside the box xRange × yRange, as
 * [xa, ya, xb, yb], or null when the line misses the box (a diverging run).
 */
export function clipLine(w0, w1, [x0, x1], [y0, y1]) {
  let lo = x0;
  let hi = x1;
  if (w1 === 0) {
    if (w0 < y0 || w0 > y1) return null;
  } else {
    let a = (y0 - w0) / w1;
    let b = (y1 - w0) / w1;
    if (a > b) [a, b] = [b, a];
    lo = Math.max(lo, a);
    hi = Math.min(hi, b);
    if (!(lo <= hi)) return null;
  }
  return [lo, w1 * lo + w0, hi, w1 * hi + w0];
}

/** An empty chart: its frame, axis titles, and a group for the ticks. */
export function chart(className, xTitle, yTitle) {
  const root = svg("svg", {
    class: `descent-chart ${className}`,
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    preserveAspectRatio: "xMidYMid meet",
  });
  const clipId = `descent-clip-${Math.random().toString(36).slice(2)}`;
  const clip = svg("clipPath", { id: clipId }, svg("defs", {}, root));
  svg("rect", { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top }, clip);
  const ticks = svg("g", { class: "descent-ticks", "aria-hidden": "true" }, root);
  svg("rect", {
    class: "descent-frame", x: PLOT.left, y: PLOT.top,
    width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top,
  }, root);
  const layer = svg("g", { "clip-path": `url(#${clipId})` }, root);
  const xText = svg("text", { class: "descent-axis-title", x: (PLOT.left + PLOT.right) / 2, y: HEIGHT - 8, "text-anchor": "middle" }, root);
  xText.textContent = xTitle;
  const yText = svg("text", {
    class: "descent-axis-title", x: 0, y: 0, "text-anchor": "middle",
    transform: `translate(14 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)`,
  }, root);
  yText.textContent = yTitle;
  return { root, ticks, layer };
}

/** The grid lines at the ticks, labelled (the y labels by `yLabel`), in `group`. */
export function drawTicks(group, xTicks, yTicks, xScale, yScale, yLabel = formatNumber) {
  group.replaceChildren();
  for (const t of xTicks) {
    const x = xScale(t);
    svg("line", { class: "descent-grid", x1: x, x2: x, y1: PLOT.top, y2: PLOT.bottom }, group);
    svg("text", { x, y: PLOT.bottom + 18, "text-anchor": "middle" }, group).textContent = formatNumber(t);
  }
  for (const t of yTicks) {
    const y = yScale(t);
    svg("line", { class: "descent-grid", x1: PLOT.left, x2: PLOT.right, y1: y, y2: y }, group);
    svg("text", { x: PLOT.left - 6, y: y + 4, "text-anchor": "end" }, group).textContent = yLabel(t);
  }
}
