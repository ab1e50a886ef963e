// The loss surface seen from above: contours of L(w₀, w₁) for a line through the points,
// with a point at the current weights (draggable, and movable with the arrow keys) and,
// optionally, the path the weights took (gradient descent) and the minimum.
//
// view "raw": the axes are w₀ and w₁ of y = w₁x + w₀.  On x from 0 to 10 the bowl is a long
// thin valley: moving w₁ by 0.1 moves the line by up to 1 at x = 10, moving w₀ by 0.1
// moves it by 0.1.  view "standardised": the same lines written as y = v₁z + v₀ with
// z = (x − x̄)/s, that is v₀ = w₀ + w₁x̄ and v₁ = w₁s; there the bowl is round, which is
// why gradient descent on standardised x goes straight down and raw x zig-zags.
//
// The contours are levels of L relative to its minimum (×1.1, ×1.5, ×2, ×3, ...), so a sum
// or a mean of squares draws the same picture.

import { contourLines, leastSquares, lossGrid, sumOfSquares } from "./least-squares.js";
import { niceTicks } from "./numbers.js";
import { clamp, draggable, fixed, html, pointerIn, scale, svg } from "./svg.js";

const WIDTH = 340;
const HEIGHT = 320;
const PLOT = { left: 52, right: WIDTH - 12, top: 12, bottom: HEIGHT - 44 };
const LEVELS = [1.1, 1.5, 2, 3, 5, 8, 13, 21, 34, 55, 89];
const GRID = 70;

/** The data in a view's coordinates: raw x, or standardised z = (x − x̄)/s. */
export function viewOf(x, kind) {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  if (kind === "raw") return { kind, mean, sd, toView: (w0, w1) => [w0, w1], fromView: (v0, v1) => [v0, v1] };
  return {
    kind,
    mean,
    sd,
    toView: (w0, w1) => [w0 + w1 * mean, w1 * sd],
    fromView: (v0, v1) => [v0 - (v1 / sd) * mean, v1 / sd],
  };
}

export class ContourPanel {
  /**
   * x, y: the points; around: weights [w0, w1] the panel must show besides the minimum (a
   * starting point, say); onMove(w0, w1): called when the learner moves the point (then the
   * point is interactive); label: what the point is, for screen readers.
   */
  constructor(parent, { x, y, view = "raw", around = [], onMove = null, label = "your weights" }) {
    this.x = x;
    this.y = y;
    this.fit = leastSquares(x, y);
    this.around = around;
    this.onMove = onMove;
    this.label = label;
    this.root = svg("svg", {
      class: "contour-panel",
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: "group",
      "aria-label": "Loss surface: contours of L over the two weights",
    }, parent);
    const clipId = `contour-clip-${Math.random().toString(36).slice(2)}`;
    svg("rect", { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top },
      svg("clipPath", { id: clipId }, svg("defs", {}, this.root)));
    this.ticks = svg("g", { class: "contour-ticks", "aria-hidden": "true" }, this.root);
    this.area = svg("rect", {
      class: "contour-area", x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top,
    }, this.root);
    const layer = svg("g", { "clip-path": `url(#${clipId})`, "aria-hidden": "true" }, this.root);
    this.contours = svg("g", { class: "contour-levels" }, layer);
    this.path = svg("polyline", { class: "contour-path" }, layer);
    this.minimum = svg("path", { class: "contour-minimum", visibility: "hidden" }, layer);
    this.xTitle = svg("text", { class: "contour-axis-title", x: (PLOT.left + PLOT.right) / 2, y: HEIGHT - 6, "text-anchor": "middle" }, this.root);
    this.yTitle = svg("text", {
      class: "contour-axis-title", "text-anchor": "middle", transform: `translate(13 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)`,
    }, this.root);
    this.point = svg("g", { class: "contour-point" }, this.root);
    svg("circle", { class: "contour-point-ring", r: 12 }, this.point);
    svg("circle", { class: "contour-point-dot", r: 6.5 }, this.point);
    if (onMove) this.makeInteractive();
    this.weights = [this.fit.w0, this.fit.w1];
    this.setView(view);
  }

  makeInteractive() {
    const point = this.point;
    Object.entries({
      tabindex: "0",
      role: "application",
      "aria-roledescription": "draggable point",
    }).forEach(([key, value]) => point.setAttribute(key, value));
    // A drag may start anywhere on the plot: the point jumps under the finger.
    const target = this.root;
    target.classList.add("is-interactive");
    draggable(target, {
      move: (event) => {
        const at = pointerIn(this.root, event);
        const v0 = this.v0Scale.invert(clamp(at.x, PLOT.left, PLOT.right));
        const v1 = this.v1Scale.invert(clamp(at.y, PLOT.top, PLOT.bottom));
        this.onMove(...this.view.fromView(v0, v1));
      },
      start: () => point.focus({ preventScroll: true }),
    });
    point.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowDown: [0, -1], ArrowUp: [0, 1] };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const step = event.shiftKey ? 0.1 : 0.02; // of the panel's width or height
      const [v0, v1] = this.view.toView(...this.weights);
      const span0 = this.v0Range[1] - this.v0Range[0];
      const span1 = this.v1Range[1] - this.v1Range[0];
      this.onMove(...this.view.fromView(v0 + move[0] * step * span0, v1 + move[1] * step * span1));
    });
  }

  /** Draw the contours in the "raw" or the "standardised" view. */
  setView(kind) {
    this.view = viewOf(this.x, kind);
    const z = kind === "raw" ? this.x : this.x.map((value) => (value - this.view.mean) / this.view.sd);
    const best = this.view.toView(this.fit.w0, this.fit.w1);
    const shown = [best, ...this.around.map(([w0, w1]) => this.view.toView(w0, w1))];
    // Around the minimum, wide enough for what must be seen, and as wide as tall in
    // "standardised" (so that a round bowl looks round).
    let half0 = Math.max(...shown.map(([v0]) => Math.abs(v0 - best[0])), kind === "raw" ? 8 : 10) * 1.25;
    let half1 = Math.max(...shown.map(([, v1]) => Math.abs(v1 - best[1])), kind === "raw" ? 2 : 10) * 1.25;
    if (kind !== "raw") half0 = half1 = Math.max(half0, half1);
    this.v0Range = [best[0] - half0, best[0] + half0];
    this.v1Range = [best[1] - half1, best[1] + half1];
    this.v0Scale = scale(this.v0Range, [PLOT.left, PLOT.right]);
    this.v1Scale = scale(this.v1Range, [PLOT.bottom, PLOT.top]);
    const grid = lossGrid(z, this.y, this.v0Range, this.v1Range, GRID, GRID);
    const lowest = grid.values.reduce((a, b) => Math.min(a, b), Infinity);
    const { x: sx, y: sy } = { x: this.v0Scale, y: this.v1Scale };
    const minimumLoss = Math.min(lowest, sumOfSquares(z, this.y, ...best));
    this.contours.replaceChildren();
    LEVELS.forEach((factor, index) => {
      const d = contourLines(grid, minimumLoss * factor)
        .map(([[a, b], [c, e]]) => `M${sx(a).toFixed(1)} ${sy(b).toFixed(1)}L${sx(c).toFixed(1)} ${sy(e).toFixed(1)}`)
        .join("");
      svg("path", { d, class: `contour-level contour-level-${Math.min(index, 5)}` }, this.contours);
    });
    this.ticks.replaceChildren();
    for (const t of niceTicks(...this.v0Range, 4)) {
      svg("line", { class: "contour-grid", x1: sx(t), x2: sx(t), y1: PLOT.top, y2: PLOT.bottom }, this.ticks);
      svg("text", { x: sx(t), y: PLOT.bottom + 17, "text-anchor": "middle" }, this.ticks).textContent = label(t);
    }
    for (const t of niceTicks(...this.v1Range, 4)) {
      svg("line", { class: "contour-grid", x1: PLOT.left, x2: PLOT.right, y1: sy(t), y2: sy(t) }, this.ticks);
      svg("text", { x: PLOT.left - 5, y: sy(t) + 4, "text-anchor": "end" }, this.ticks).textContent = label(t);
    }
    this.xTitle.textContent = kind === "raw" ? "w₀ (intercept)" : "v₀ = w₀ + w₁x̄ (height at x̄)";
    this.yTitle.textContent = kind === "raw" ? "w₁ (slope)" : "v₁ = w₁s (slope per s)";
    const [m0, m1] = [sx(best[0]), sy(best[1])];
    this.minimum.setAttribute("d", `M${m0 - 7} ${m1 - 7}L${m0 + 7} ${m1 + 7}M${m0 - 7} ${m1 + 7}L${m0 + 7} ${m1 - 7}`);
    this.setPoint(...this.weights);
    if (this.pathWeights) this.setPath(this.pathWeights);
  }

  /** Put the point at weights (w0, w1) (clamped to the panel's edge when outside). */
  setPoint(w0, w1) {
    this.weights = [w0, w1];
    const [v0, v1] = this.view.toView(w0, w1);
    const px = clamp(this.v0Scale(v0), PLOT.left, PLOT.right);
    const py = clamp(this.v1Scale(v1), PLOT.top, PLOT.bottom);
    this.point.setAttribute("transform", `translate(${px.toFixed(2)} ${py.toFixed(2)})`);
    this.point.dataset.x = px.toFixed(2);
    this.point.dataset.y = py.toFixed(2);
    if (this.onMove) {
      this.point.setAttribute("aria-label", `${this.label} on the loss surface, w₀ = ${fixed(w0, 2)} and ` +
        `w₁ = ${fixed(w1, 3)}: the left and right arrow keys move w₀, up and down move w₁`);
    }
  }

  /** Draw the path of the weights, [[w0, w1], ...] (far-off points held at a distance). */
  setPath(weights) {
    this.pathWeights = weights;
    const far = 10 * WIDTH;
    this.path.setAttribute("points", weights.map(([w0, w1]) => {
      const [v0, v1] = this.view.toView(w0, w1);
      return `${clamp(this.v0Scale(v0), -far, far).toFixed(1)},${clamp(this.v1Scale(v1), -far, far).toFixed(1)}`;
    }).join(" "));
  }

  showMinimum(shown) {
    this.minimum.setAttribute("visibility", shown ? "visible" : "hidden");
  }
}

function label(value) {
  return String(Number(value.toPrecision(6))).replace("-", "−");
}

/** A "raw x / standardised x" switch for a panel (two radio buttons), in `parent`. */
export function viewSwitch(parent, panel, name) {
  const group = html("fieldset", "contour-view", parent);
  html("legend", "", group, "Weights for");
  for (const [kind, text] of [["raw", "raw x"], ["standardised", "standardised x"]]) {
    const option = html("label", "", group);
    const input = html("input", "", option);
    Object.assign(input, { type: "radio", name, value: kind, checked: panel.view.kind === kind });
    option.append(` ${text}`);
    input.addEventListener("change", () => input.checked && panel.setView(kind));
  }
  return group;
}
