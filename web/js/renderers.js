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

// A small built-in one, used by the tests and handy in lessons: a table of numbers.
registerRenderer("application/vnd.lab.table+json", (element, { columns, rows }) => {
  const table = document.createElement("table");
  table.className = "out-table";
  const head = table.createTHead().insertRow();
  for (const name of columns) head.append(Object.assign(document.createElement("th"), { textContent: name }));
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) tr.insertCell().textContent = String(value);
  }
  element.append(table);
});

// Gradient descent, animated (sent by lab_runner.animate_descent).
registerRenderer(DESCENT_MIME, renderDescent);
