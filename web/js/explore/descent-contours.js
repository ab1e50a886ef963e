// The third panel of the gradient-descent animation (descent-animation.js): the loss surface
// (contour-panel.js), contours of L(w₀, w₁) with the path of the weights, so zig-zags and
// divergence are seen in weight space too; a switch shows it for raw x (a long thin valley)
// or standardised x (a round bowl).  Its point follows the animation; it cannot be dragged.

import { ContourPanel, viewSwitch } from "./contour-panel.js";
import { formatNumber } from "./numbers.js";

export class DescentContours {
  /** The panel in `charts`, beside the other two; its raw/standardised switch in `figure`. */
  constructor(charts, figure, data) {
    this.fit = data.fit;
    this.panel = new ContourPanel(charts, { x: data.x, y: data.y, around: data.runs.map((run) => [run.w0[0], run.w1[0]]) });
    this.panel.showMinimum(true);
    viewSwitch(figure, this.panel, `descent-view-${Math.random().toString(36).slice(2)}`);
  }

  /**
   * Show `run` at epoch `step`: the weights' path through its recorded steps 0 to i, then on
   * to (w0, w1) when the animation is between steps i and i + 1, and the point at (w0, w1).
   */
  show(run, i, w0, w1, step, between) {
    const path = run.w0.slice(0, i + 1).map((v, k) => [v, run.w1[k]]);
    if (between) path.push([w0, w1]);
    this.panel.setPath(path);
    this.panel.setPoint(w0, w1);
    this.panel.root.setAttribute("aria-label",
      `Loss surface: contours of the loss over w₀ and w₁, with gradient descent's path from ` +
      `w₀ = ${formatNumber(run.w0[0])}, w₁ = ${formatNumber(run.w1[0])} to ${formatNumber(w0)}, ${formatNumber(w1)} ` +
      `at epoch ${step}; the minimum is at ${formatNumber(this.fit.w0)}, ${formatNumber(this.fit.w1)}.`);
  }
}
