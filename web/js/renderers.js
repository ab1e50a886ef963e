// Renderers for rich output: lab_runner.display(mime, data) in Python ends up here.
// Each renderer is render(element, data) with data already parsed from JSON; it fills
// element (a <div class="out-display">) and must insert learner-controlled text as text.

import { DESCENT_MIME, renderDescent } from "./descent-animation.js";

const renderers = new Map();

export function registerRenderer(mime, render) {
  renderers.set(mime, render);
}

export function rendererFor(mime) {
  return renderers.get(mime);
}

// Gradient descent, animated (sent by lab_runner.animate_descent).
registerRenderer(DESCENT_MIME, renderDescent);
