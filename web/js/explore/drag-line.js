// "Drag the line": the lesson's 100 points and a line the learner moves, before any formula.
//
// The line goes through two handles, at x = 1 and x = 9; each moves up and down (mouse,
// finger or pen; or focus it with Tab and use the arrow keys, as on a slider).  Every
// residual is drawn (as its square too, if asked), and the readouts give w₀, w₁ and the
// loss L = Σ(yᵢ − (w₁xᵢ + w₀))², section 1's sum of squares, against the least-squares L:
// the target.  Beside it, the loss surface (contour-panel.js) with the line's (w₀, w₁) as a
// point, which moves with the line and moves it when dragged.  Everything is computed here,
// in the frame of the drag (no Python); the points are the lesson's, from the committed
// web/lessons/data/lesson-points.json (tests/lessons/test_lesson_points.py proves them equal).
//
// The root carries data-w0, data-w1, data-loss and data-best-loss: what is on screen, for tests.

import { leastSquares, lossFromSums, sums } from "./least-squares.js";
import { ContourPanel } from "./contour-panel.js";
import { clamp, draggable, fixed, html, pointerIn, scale, svg, throttledAnnouncer } from "./svg.js";
import { niceTicks } from "./numbers.js";

const WIDTH = 480;
const HEIGHT = 340;
const PLOT = { left: 44, right: WIDTH - 14, top: 12, bottom: HEIGHT - 40 };
const X_RANGE = [0, 10];
const Y_RANGE = [-4, 40];
const HANDLE_X = [1, 9];
const START = { w0: 12, w1: 1 }; // the flat candidate of section 1's loss cell
const KEY_STEP = 0.2; // of y, per arrow key (Shift: five times as far)
const CLOSE = 0.05; // within 5 % of the least-squares loss: close
const MATCHED = 0.005; // within 0.5 %: as good as it gets

export class DragLine {
  constructor(figure, { x, y }) {
    this.x = x;
    this.y = y;
    this.sums = sums(x, y);
    this.fit = leastSquares(x, y);
    this.bestLoss = lossFromSums(this.sums, this.fit.w0, this.fit.w1);
    this.sx = scale(X_RANGE, [PLOT.left, PLOT.right]);
    this.sy = scale(Y_RANGE, [PLOT.bottom, PLOT.top]);
    this.build(figure);
    this.setWeights(START.w0, START.w1, { announce: false });
  }

  build(figure) {
    const root = html("div", "drag-line", figure);
    this.root = root;
    const panels = html("div", "drag-line-panels", root);
    const scatter = svg("svg", {
      class: "drag-line-scatter", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "group",
      "aria-label": "The lesson's 100 points and your line",
    }, panels);
    this.drawAxes(scatter);
    const residuals = svg("g", { class: "drag-line-residuals", "aria-hidden": "true" }, scatter);
    this.squares = this.x.map(() => svg("rect", { class: "drag-line-square" }, residuals));
    this.residuals = this.x.map(() => svg("line", { class: "drag-line-residual" }, residuals));
    const points = svg("g", { class: "drag-line-points", "aria-hidden": "true" }, scatter);
    this.x.forEach((xi, i) => svg("circle", { cx: this.sx(xi).toFixed(1), cy: this.sy(this.y[i]).toFixed(1), r: 3.4 }, points));
    this.bestLine = svg("line", { class: "drag-line-best", "aria-hidden": "true" }, scatter);
    this.placeLine(this.bestLine, this.fit.w0, this.fit.w1);
    this.line = svg("line", { class: "drag-line-line", "aria-hidden": "true" }, scatter);
    this.handles = HANDLE_X.map((hx, index) => this.makeHandle(scatter, hx, index));

    this.contour = new ContourPanel(panels, {
      x: this.x, y: this.y, around: [[START.w0, START.w1]], label: "Your line's weights",
      onMove: (w0, w1) => this.setWeights(w0, w1),
    });

    this.readout = html("p", "drag-line-readout", root);
    this.target = html("p", "drag-line-target", root);
    const controls = html("div", "drag-line-controls", root);
    this.reveal = html("button", "drag-line-reveal", controls, "Show the least-squares line");
    this.reveal.type = "button";
    this.reveal.setAttribute("aria-pressed", "false");
    this.reveal.addEventListener("click", () => this.showBest(this.reveal.getAttribute("aria-pressed") !== "true"));
    const squares = html("label", "drag-line-toggle", controls);
    this.squaresBox = html("input", "", squares);
    this.squaresBox.type = "checkbox";
    squares.append(" Draw each residual as its square");
    this.squaresBox.addEventListener("change", () => root.classList.toggle("shows-squares", this.squaresBox.checked));
    const again = html("button", "drag-line-again", controls, "Start again");
    again.type = "button";
    again.addEventListener("click", () => this.setWeights(START.w0, START.w1));
    html("p", "drag-line-help", root,
      "Drag a round handle, or the point on the loss surface. With the keyboard: Tab to a handle and " +
      "use the up and down arrow keys (Shift for bigger steps), or Tab to the point and use all four arrows.");
    const live = html("p", "visually-hidden", root);
    live.setAttribute("aria-live", "polite");
    this.announce = throttledAnnouncer(live);
  }

  drawAxes(root) {
    const group = svg("g", { class: "drag-line-axes", "aria-hidden": "true" }, root);
    for (const t of niceTicks(...X_RANGE, 5)) {
      svg("line", { class: "drag-line-grid", x1: this.sx(t), x2: this.sx(t), y1: PLOT.top, y2: PLOT.bottom }, group);
      svg("text", { x: this.sx(t), y: PLOT.bottom + 17, "text-anchor": "middle" }, group).textContent = String(t);
    }
    for (const t of niceTicks(...Y_RANGE, 5)) {
      svg("line", { class: "drag-line-grid", x1: PLOT.left, x2: PLOT.right, y1: this.sy(t), y2: this.sy(t) }, group);
      svg("text", { x: PLOT.left - 6, y: this.sy(t) + 4, "text-anchor": "end" }, group).textContent = fixed(t, 0);
    }
    svg("rect", { class: "drag-line-frame", x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top }, group);
    svg("text", { class: "drag-line-axis-title", x: (PLOT.left + PLOT.right) / 2, y: HEIGHT - 5, "text-anchor": "middle" }, group).textContent = "x";
    svg("text", { class: "drag-line-axis-title", x: 12, y: (PLOT.top + PLOT.bottom) / 2, "text-anchor": "middle" }, group).textContent = "y";
  }

  makeHandle(root, hx, index) {
    const side = index === 0 ? "Left" : "Right";
    const handle = svg("g", {
      class: "drag-line-handle", tabindex: "0", role: "slider", "aria-orientation": "vertical",
      "aria-label": `${side} handle: the line's height at x = ${hx}`,
      "aria-valuemin": Y_RANGE[0], "aria-valuemax": Y_RANGE[1],
    }, root);
    svg("circle", { class: "drag-line-handle-hit", r: 30 }, handle); // a finger-sized target
    svg("circle", { class: "drag-line-handle-ring", r: 14 }, handle);
    svg("circle", { class: "drag-line-handle-dot", r: 8 }, handle);
    draggable(handle, {
      start: () => handle.focus({ preventScroll: true }),
      move: (event) => this.moveHandle(index, this.sy.invert(pointerIn(root, event).y)),
    });
    handle.addEventListener("keydown", (event) => {
      const here = this.heights()[index];
      const step = KEY_STEP * (event.shiftKey ? 5 : 1);
      const to = {
        ArrowUp: here + step, ArrowRight: here + step, ArrowDown: here - step, ArrowLeft: here - step,
        PageUp: here + 10 * KEY_STEP, PageDown: here - 10 * KEY_STEP, Home: Y_RANGE[0], End: Y_RANGE[1],
      }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      this.moveHandle(index, to);
    });
    return handle;
  }

  /** The line's heights at the two handles' x. */
  heights() {
    return HANDLE_X.map((hx) => this.w1 * hx + this.w0);
  }

  moveHandle(index, height) {
    const heights = this.heights();
    heights[index] = clamp(height, ...Y_RANGE);
    const w1 = (heights[1] - heights[0]) / (HANDLE_X[1] - HANDLE_X[0]);
    this.setWeights(heights[0] - w1 * HANDLE_X[0], w1);
  }

  placeLine(line, w0, w1) {
    const [x0, x1] = X_RANGE;
    line.setAttribute("x1", this.sx(x0).toFixed(1));
    line.setAttribute("y1", this.sy(w1 * x0 + w0).toFixed(1));
    line.setAttribute("x2", this.sx(x1).toFixed(1));
    line.setAttribute("y2", this.sy(w1 * x1 + w0).toFixed(1));
  }

  /** Everything follows the weights, in this frame. */
  setWeights(w0, w1, { announce = true } = {}) {
    this.w0 = w0;
    this.w1 = w1;
    this.placeLine(this.line, w0, w1);
    const unit = this.sy(0) - this.sy(1); // px per unit of y, for the squares
    this.x.forEach((xi, i) => {
      const px = this.sx(xi);
      const predicted = w1 * xi + w0;
      const line = this.residuals[i];
      line.setAttribute("x1", px.toFixed(1));
      line.setAttribute("x2", px.toFixed(1));
      line.setAttribute("y1", this.sy(this.y[i]).toFixed(1));
      line.setAttribute("y2", this.sy(predicted).toFixed(1));
      const side = Math.abs(this.y[i] - predicted) * unit;
      const square = this.squares[i];
      square.setAttribute("x", (xi < 5 ? px : px - side).toFixed(1));
      square.setAttribute("y", this.sy(Math.max(this.y[i], predicted)).toFixed(1));
      square.setAttribute("width", side.toFixed(1));
      square.setAttribute("height", side.toFixed(1));
    });
    this.heights().forEach((height, index) => {
      const handle = this.handles[index];
      const shown = clamp(height, ...Y_RANGE);
      handle.setAttribute("transform", `translate(${this.sx(HANDLE_X[index]).toFixed(1)} ${this.sy(shown).toFixed(1)})`);
      handle.setAttribute("aria-valuenow", shown.toFixed(1));
      handle.setAttribute("aria-valuetext", `y = ${fixed(height, 1)} at x = ${HANDLE_X[index]}`);
    });
    this.contour.setPoint(w0, w1);
    const loss = lossFromSums(this.sums, w0, w1);
    const gap = (loss - this.bestLoss) / this.bestLoss;
    // (each reading kept on one line when the text wraps, on a phone)
    const keep = (text) => text.replaceAll(" ", "\u00a0");
    this.readout.textContent = [
      keep(`Your line: y = ${fixed(w1, 2)}x ${w0 < 0 ? "−" : "+"} ${Math.abs(w0).toFixed(2)}`),
      keep(`w₀ = ${fixed(w0, 2)}`), keep(`w₁ = ${fixed(w1, 3)}`), keep(`L = ${loss.toFixed(1)}`),
    ].join("   ");
    const state = gap <= MATCHED ? "matched" : gap <= CLOSE ? "close" : "far";
    this.target.dataset.state = state;
    this.target.textContent = state === "matched"
      ? `You matched least squares: L = ${loss.toFixed(1)}, the smallest possible is ${this.bestLoss.toFixed(1)}. ` +
        "No line beats it: that is what “least squares” means."
      : `Target, least squares: L = ${this.bestLoss.toFixed(1)}. Yours is ${(loss - this.bestLoss).toFixed(1)} more ` +
        `(${Math.round(gap * 100)} % above).${state === "close" ? " Close: a little more." : ""}`;
    Object.assign(this.root.dataset, { w0: String(w0), w1: String(w1), loss: String(loss), bestLoss: String(this.bestLoss) });
    if (announce) {
      this.announce(`Your line y = ${fixed(w1, 2)}x ${w0 < 0 ? "−" : "+"} ${Math.abs(w0).toFixed(2)}, L = ${loss.toFixed(1)}; ` +
        `least squares L = ${this.bestLoss.toFixed(1)}.`);
    }
  }

  showBest(shown) {
    this.root.classList.toggle("shows-best", shown);
    this.reveal.setAttribute("aria-pressed", String(shown));
    this.contour.showMinimum(shown);
    if (shown) {
      this.announce(`The least-squares line is y = ${fixed(this.fit.w1, 2)}x + ${this.fit.w0.toFixed(2)}, ` +
        `L = ${this.bestLoss.toFixed(1)}; it is drawn dashed, and its weights are marked with a cross on the loss surface.`);
    }
  }
}
