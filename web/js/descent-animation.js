// Gradient descent, animated: the line moving from its first guess to the least-squares
// fit over the scatter plot, with the loss curve beside it.
//
// Python sends every frame at once (py_src/lab_runner/animation.py, MIME
// application/vnd.lab.descent+json):
//   { title, xLabel, yLabel, n, x: [...], y: [...], fit: { w0, w1, loss },
//     runs: [{ learningRate, label, status: "converged" | "descending" | "diverged",
//              overflowed, zigzag, convergedAt, recorded,
//              steps: [...], w0: [...], w1: [...], loss: [...] }],
//     selected }
// and this module draws it in SVG (crisp at any size, coloured by the page's CSS, so it
// follows the light and dark schemes), one frame per requestAnimationFrame, interpolating
// between recorded steps so the line glides.  Controls: restart, play/pause, step, and a
// slider over the learning rates.  Each chart is an image for screen readers whose
// description follows the animation (step, w₁, w₀, loss); the status sentence under the
// controls is a polite live region, updated when a run is chosen and when it ends.
// Playing time follows how far the line moves, so it glides at an even pace.  With
// prefers-reduced-motion nothing moves by itself: the final frame is shown, and Play shows
// a dozen stills, two a second, without gliding.
//
// Beside the charts, the loss surface (explore/descent-contours.js): contours of L(w₀, w₁)
// with the path of the weights, so zig-zags and divergence are seen in weight space too; a
// switch shows it for raw x (a long thin valley) or standardised x (a round bowl).  The two
// charts' frames, grids and line clipping are in explore/descent-charts.js; this module is
// the widget: its controls, its timing, and what each frame shows and says.
//
// The root element carries data-state ("playing" | "paused" | "ended"), data-run,
// data-frame, data-step, data-w0, data-w1 and data-loss: what is on screen, for tests.

import { chart, clipLine, drawTicks, HEIGHT, padded, PLOT } from "./explore/descent-charts.js";
import { DescentContours } from "./explore/descent-contours.js";
import { decadeLabel, equation, formatNumber, niceTicks } from "./explore/numbers.js";
import { html, scale, svg } from "./explore/svg.js";

const MIN_SECONDS = 3;
const MAX_SECONDS = 6;
const STILL_SHARE = 0.3; // of the playing time spread evenly over the frames; the rest follows the motion
const REDUCED_SNAPSHOTS = 12; // with prefers-reduced-motion, Play shows this many stills

export const DESCENT_MIME = "application/vnd.lab.descent+json";

function checkPayload(data) {
  const problem = (what) => new Error(`the animation data is not usable: ${what}`);
  if (!data || !Array.isArray(data.x) || !Array.isArray(data.y)) throw problem("no points");
  if (data.x.length !== data.y.length || data.x.length < 2) throw problem("x and y do not pair up");
  if (!Array.isArray(data.runs) || data.runs.length === 0) throw problem("no runs");
  for (const run of data.runs) {
    const n = run.steps?.length;
    if (!n || run.w0?.length !== n || run.w1?.length !== n || run.loss?.length !== n) {
      throw problem("a run's steps, weights and losses differ in length");
    }
  }
  if (!data.fit || !Number.isFinite(data.fit.w0) || !Number.isFinite(data.fit.w1)) throw problem("no fit");
}

function statusWord(run) {
  if (run.status === "diverged") return "diverges";
  if (run.status === "descending") return "crawls, not there yet";
  return run.zigzag ? "zig-zags, converges" : "converges";
}

export class DescentAnimation {
  constructor(element, data) {
    checkPayload(data);
    this.data = data;
    this.reducedMotion = globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
    this.frameRequest = 0;
    this.position = 0;
    this.state = "paused";
    this.build(element);
    this.select(Math.min(Math.max(0, data.selected | 0), data.runs.length - 1));
  }

  build(element) {
    const data = this.data;
    const root = html("figure", "descent", element);
    root.setAttribute("aria-label", `Animation: ${data.title}`);
    this.root = root;
    html("figcaption", "descent-title", root, data.title);
    const legend = html("p", "descent-legend", root);
    html("span", "descent-key descent-key-current", legend, "gradient descent's line");
    html("span", "descent-key descent-key-fit", legend, `least squares: ${equation(data.fit.w0, data.fit.w1)}`);

    const charts = html("div", "descent-charts", root);
    this.scatter = chart("descent-scatter", data.xLabel || "x", data.yLabel || "y");
    this.lossChart = chart("descent-loss", "epoch", "loss (MSE, log scale)");
    charts.append(this.scatter.root, this.lossChart.root);

    const xs = data.x;
    const ys = data.y;
    this.xRange = padded(Math.min(...xs), Math.max(...xs), 0.04);
    const firstLines = data.runs.flatMap((run) => [run.w0[0] + run.w1[0] * this.xRange[0], run.w0[0] + run.w1[0] * this.xRange[1]]);
    this.yRange = padded(Math.min(...ys, ...firstLines), Math.max(...ys, ...firstLines));
    this.x = scale(this.xRange, [PLOT.left, PLOT.right]);
    this.y = scale(this.yRange, [PLOT.bottom, PLOT.top]);
    drawTicks(this.scatter.ticks, niceTicks(...this.xRange), niceTicks(...this.yRange), this.x, this.y);
    const points = svg("g", { class: "descent-points" }, this.scatter.layer);
    for (let i = 0; i < xs.length; i += 1) {
      svg("circle", { cx: this.x(xs[i]).toFixed(1), cy: this.y(ys[i]).toFixed(1), r: 3.2 }, points);
    }
    const fitEnds = clipLine(data.fit.w0, data.fit.w1, this.xRange, this.yRange);
    this.fitLine = svg("line", { class: "descent-fit-line" }, this.scatter.layer);
    if (fitEnds) this.placeLine(this.fitLine, fitEnds);
    this.currentLine = svg("line", { class: "descent-current-line" }, this.scatter.layer);
    this.surface = new DescentContours(charts, root, data);

    this.lossMinimum = svg("line", { class: "descent-fit-line" }, this.lossChart.layer);
    this.lossPath = svg("path", { class: "descent-loss-path" }, this.lossChart.layer);
    this.lossMarker = svg("circle", { class: "descent-loss-marker", r: 4.5 }, this.lossChart.layer);

    this.readout = html("p", "descent-readout", root);
    const controls = html("div", "descent-controls", root);
    this.restartButton = html("button", "descent-restart", controls, "↺ Restart");
    this.playButton = html("button", "descent-play", controls, "▶ Play");
    this.stepButton = html("button", "descent-step", controls, "Step ▸");
    for (const button of [this.restartButton, this.playButton, this.stepButton]) button.type = "button";
    this.restartButton.title = "Back to the first guess";
    this.stepButton.title = "Pause and show the next recorded step";

    const rates = html("label", "descent-rate", controls);
    html("span", "descent-rate-name", rates, "Learning rate");
    this.slider = html("input", "descent-slider", rates);
    Object.assign(this.slider, { type: "range", min: "0", max: String(data.runs.length - 1), step: "1" });
    this.rateValue = html("output", "descent-rate-value", rates);
    rates.hidden = data.runs.length < 2;

    this.message = html("p", "descent-message", root);
    this.message.setAttribute("aria-live", "polite");

    this.restartButton.addEventListener("click", () => this.restart());
    this.playButton.addEventListener("click", () => (this.state === "playing" ? this.pause() : this.play()));
    this.stepButton.addEventListener("click", () => this.step());
    this.slider.addEventListener("input", () => this.select(Number(this.slider.value)));
  }

  placeLine(line, [xa, ya, xb, yb]) {
    line.setAttribute("x1", this.x(xa).toFixed(2));
    line.setAttribute("y1", this.y(ya).toFixed(2));
    line.setAttribute("x2", this.x(xb).toFixed(2));
    line.setAttribute("y2", this.y(yb).toFixed(2));
  }

  get run() {
    return this.data.runs[this.runIndex];
  }

  get lastFrame() {
    return this.run.steps.length - 1;
  }

  /** Show the run for one learning rate, from its first guess (or its end, reduced motion). */
  select(index) {
    this.pause("paused");
    this.runIndex = index;
    const run = this.run;
    this.slider.value = String(index);
    const rate = run.label || "as given";
    this.rateValue.value = `${rate} — ${statusWord(run)}`;
    this.slider.setAttribute("aria-valuetext", `${rate}, ${statusWord(run)}`);
    this.root.dataset.run = String(index);
    this.root.dataset.status = run.status;

    const lastStep = run.steps[this.lastFrame];
    const losses = [...run.loss, this.data.fit.loss].filter((v) => v > 0);
    if (!losses.length) losses.push(1); // every loss is exactly 0: any scale will do
    const low = Math.log10(Math.min(...losses));
    const high = Math.log10(Math.max(...losses));
    const [lo, hi] = padded(low, high === low ? low + 1 : high, 0.05);
    this.stepScale = scale([0, Math.max(1, lastStep)], [PLOT.left, PLOT.right]);
    this.lossScale = scale([lo, hi], [PLOT.bottom, PLOT.top]);
    const decades = [];
    const every = Math.max(1, Math.ceil((Math.floor(hi) - Math.ceil(lo) + 1) / 6)); // ≤ 6 labels
    for (let d = Math.ceil(lo); d <= Math.floor(hi); d += every) decades.push(d);
    const yTicks = decades.length >= 2 ? decades : niceTicks(lo, hi, 3);
    drawTicks(this.lossChart.ticks, niceTicks(0, Math.max(1, lastStep)), yTicks, this.stepScale, this.lossScale,
      decadeLabel);
    const minimumY = this.lossScale(Math.log10(Math.max(this.data.fit.loss, 1e-300)));
    for (const [key, value] of Object.entries({ x1: PLOT.left, x2: PLOT.right, y1: minimumY, y2: minimumY })) {
      this.lossMinimum.setAttribute(key, value.toFixed(2));
    }
    this.lossPoints = run.steps.map((step, i) => [this.stepScale(step), this.lossY(run.loss[i])]);
    this.timeline = this.playTimes(run);

    this.message.textContent = "";
    if (this.reducedMotion) {
      this.show(this.lastFrame);
      this.end();
    } else {
      this.show(0);
      this.play();
    }
  }

  /**
   * When each frame is reached, from 0 to 1 of the playing time.  Most of the time follows
   * how far the line moves on screen (so it glides at an even pace and long flat stretches
   * of a converged run pass quickly); the rest is shared evenly, so slow progress still
   * looks slow.
   */
  playTimes(run) {
    const moves = [0];
    for (let i = 1; i < run.steps.length; i += 1) {
      const dy = [0, 1].map((end) => {
        const x = this.xRange[end];
        const before = run.w0[i - 1] + run.w1[i - 1] * x;
        const after = run.w0[i] + run.w1[i] * x;
        return Math.abs(this.y(Math.max(-1e6, Math.min(1e6, after))) - this.y(Math.max(-1e6, Math.min(1e6, before))));
      });
      moves.push(Math.min(Math.max(...dy), HEIGHT));
    }
    const total = moves.reduce((a, b) => a + b, 0);
    const frames = Math.max(1, run.steps.length - 1);
    const times = [0];
    for (let i = 1; i < moves.length; i += 1) {
      const share = total > 0 ? (1 - STILL_SHARE) * (moves[i] / total) + STILL_SHARE / frames : 1 / frames;
      times.push(times[i - 1] + share);
    }
    const end = times[times.length - 1] || 1; // a single frame: nothing to play
    return times.map((t) => t / end);
  }

  /** The (fractional) frame reached after `fraction` of the playing time. */
  frameAt(fraction) {
    const times = this.timeline;
    let lo = 0;
    let hi = times.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= fraction) lo = mid;
      else hi = mid;
    }
    const span = times[hi] - times[lo];
    return lo + (span > 0 ? (fraction - times[lo]) / span : 0);
  }

  lossY(loss) {
    return this.lossScale(Math.log10(Math.max(loss, 1e-300)));
  }

  play() {
    if (this.position >= this.lastFrame) this.position = 0;
    this.state = "playing";
    this.root.dataset.state = "playing";
    this.playButton.textContent = "❚❚ Pause";
    this.message.textContent = "";
    this.seconds = this.reducedMotion
      ? REDUCED_SNAPSHOTS / 2
      : Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, this.lastFrame / 40));
    this.playhead = this.timeline[Math.floor(this.position)];
    this.clock = performance.now();
    cancelAnimationFrame(this.frameRequest);
    this.frameRequest = requestAnimationFrame((now) => this.tick(now));
  }

  pause(state = "paused") {
    cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    this.state = state;
    this.root.dataset.state = state;
    this.playButton.textContent = state === "ended" ? "▶ Play again" : "▶ Play";
  }

  tick(now) {
    if (!this.root.isConnected) return this.pause(); // the cell ran again: this output is gone
    const elapsed = Math.min(0.25, (now - this.clock) / 1000);
    this.clock = now;
    this.playhead += elapsed / this.seconds; // a fraction of the playing time
    let frame = this.frameAt(Math.min(this.playhead, 1));
    if (this.reducedMotion) {
      // No gliding: a few still snapshots, two a second.
      frame = Math.floor(this.frameAt(Math.floor(this.playhead * REDUCED_SNAPSHOTS) / REDUCED_SNAPSHOTS));
    }
    if (frame >= this.lastFrame) {
      this.show(this.lastFrame);
      this.end();
      return undefined;
    }
    this.show(frame);
    this.frameRequest = requestAnimationFrame((time) => this.tick(time));
    return undefined;
  }

  step() {
    this.pause();
    if (this.position >= this.lastFrame) {
      this.show(0);
      return;
    }
    this.show(Math.floor(this.position) + 1);
    if (this.position >= this.lastFrame) this.end();
  }

  restart() {
    this.pause();
    this.show(0);
    this.message.textContent = "";
  }

  end() {
    this.pause("ended");
    this.message.textContent = this.summary();
  }

  /** Draw frame `position` (fractional: between two recorded steps, interpolated). */
  show(position) {
    const run = this.run;
    this.position = Math.min(Math.max(position, 0), this.lastFrame);
    const i = Math.floor(this.position);
    const j = Math.min(i + 1, this.lastFrame);
    const t = this.position - i;
    const w0 = run.w0[i] + (run.w0[j] - run.w0[i]) * t;
    const w1 = run.w1[i] + (run.w1[j] - run.w1[i]) * t;
    const logLoss = Math.log10(Math.max(run.loss[i], 1e-300)) * (1 - t) + Math.log10(Math.max(run.loss[j], 1e-300)) * t;
    const loss = 10 ** logLoss;
    const step = run.steps[i];

    const ends = clipLine(w0, w1, this.xRange, this.yRange);
    this.currentLine.setAttribute("visibility", ends ? "visible" : "hidden");
    if (ends) this.placeLine(this.currentLine, ends);
    const markerX = this.stepScale(run.steps[i] + (run.steps[j] - run.steps[i]) * t);
    const markerY = this.lossY(loss);
    this.lossMarker.setAttribute("cx", markerX.toFixed(2));
    this.lossMarker.setAttribute("cy", markerY.toFixed(2));
    const drawn = this.lossPoints.slice(0, i + 1);
    if (t > 0) drawn.push([markerX, markerY]);
    this.lossPath.setAttribute("d", drawn.map(([x, y], k) => `${k ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`).join(""));

    this.surface.show(run, i, w0, w1, step, t > 0);
    const offChart = ends ? "" : " (off the chart)";
    this.readout.textContent =
      `epoch ${step} of ${run.steps[this.lastFrame]} · w₁ = ${formatNumber(w1)} · w₀ = ${formatNumber(w0)} · loss ${formatNumber(loss)}${offChart}`;
    this.scatter.root.setAttribute("aria-label",
      `Scatter plot of ${this.data.n} points, ${this.data.xLabel || "x"} against ${this.data.yLabel || "y"}, ` +
      `with the least-squares line ${equation(this.data.fit.w0, this.data.fit.w1)} dashed and ` +
      `gradient descent's line at epoch ${step}, ${equation(w0, w1)}${offChart}.`);
    this.lossChart.root.setAttribute("aria-label",
      `Loss curve, mean squared error against epoch on a log scale: ${formatNumber(run.loss[0])} at epoch 0, ` +
      `${formatNumber(loss)} at epoch ${step}; the minimum is ${formatNumber(this.data.fit.loss)}.`);
    Object.assign(this.root.dataset, {
      frame: String(i), step: String(step), w0: String(w0), w1: String(w1), loss: String(loss),
    });
  }

  /** What the finished run shows, in words. */
  summary() {
    const run = this.run;
    const fit = this.data.fit;
    const last = this.lastFrame;
    const epochs = run.steps[last];
    const rate = run.label ? `learning rate ${run.label}` : "this learning rate";
    if (run.status === "diverged") {
      const growth = run.overflowed ? ", and the next step overflowed to infinity" : "";
      return `Diverged: in ${epochs} epochs the loss grew from ${formatNumber(run.loss[0])} to ` +
        `${formatNumber(run.loss[last])}${growth}. With ${rate} each step overshoots the bottom of ` +
        "the loss by more than it gained, so the loss keeps growing towards infinity and the " +
        "animation stops here. The learning rate is too large: pick a smaller one.";
    }
    if (run.status === "descending") {
      return `Still descending after ${epochs} epochs: the loss is ${formatNumber(run.loss[last])}, ` +
        `the minimum is ${formatNumber(fit.loss)}. With ${rate} every step is small, so the line ` +
        "crawls towards the fit; it needs more epochs or a larger learning rate.";
    }
    const swing = run.zigzag
      ? " The step is so large that the line overshoots back and forth, but every swing is smaller than the last."
      : "";
    const since = run.convergedAt != null && run.convergedAt < epochs
      ? ` It has been within a millionth of the minimum since epoch ${run.convergedAt}.`
      : "";
    return `Converged: at epoch ${epochs} gradient descent's line is the least-squares fit, ` +
      `${equation(run.w0[last], run.w1[last])}, and the loss ${formatNumber(run.loss[last])} ` +
      `is the minimum.${since}${swing}`;
  }
}

/** The renderer registered for DESCENT_MIME (see renderers.js). */
export function renderDescent(element, data) {
  return new DescentAnimation(element, data);
}
