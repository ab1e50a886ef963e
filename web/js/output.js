// Output rendering: a cell's printed text, plots and errors, drawn in order.
//
// Text arrives in batches from the worker; it is queued and drawn at most once per
// animation frame, so a loop printing a million lines cannot freeze the page.  Only the
// last MAX_CHARS characters are kept on screen; a note says how much was dropped.
// Everything is inserted as text (never as HTML): learner output cannot inject markup.

import { rendererFor } from "./renderers.js";

export const MAX_CHARS = 200_000;

export class OutputView {
  constructor(element) {
    this.element = element;
    this.element.setAttribute("role", "log");
    this.element.setAttribute("aria-live", "polite");
    this.clear();
  }

  clear() {
    for (const url of this.objectURLs ?? []) URL.revokeObjectURL(url);
    this.objectURLs = [];
    this.pending = [];
    this.frame = 0;
    this.chars = 0;
    this.dropped = 0;
    this.droppedNote = null;
    this.element.replaceChildren();
    this.element.hidden = true;
  }

  /** Queue text from stdout or stderr. */
  text(name, text) {
    this.pending.push({ kind: "text", name, text });
    this.schedule();
  }

  /** A matplotlib figure, as PNG bytes. */
  figure(png, alt, width, height) {
    this.pending.push({ kind: "figure", png, alt, width, height });
    this.schedule();
  }

  /** Rich output from lab_runner.display(mime, data). */
  display(mime, data) {
    this.pending.push({ kind: "display", mime, data });
    this.schedule();
  }

  /** A line from the page itself (stopped, restarted, ...): kind is "info" or "error". */
  notice(kind, text) {
    this.pending.push({ kind: "notice", name: kind, text });
    this.schedule();
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  /** Draw everything queued now (also used before reading the output in tests). */
  draw() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const items = this.pending;
    this.pending = [];
    if (items.length) this.element.hidden = false;
    for (const item of items) {
      if (item.kind === "text") this.drawText(item.name, item.text);
      else if (item.kind === "figure") this.drawFigure(item);
      else if (item.kind === "display") this.drawDisplay(item);
      else this.drawNotice(item.name, item.text);
    }
    this.trim();
  }

  drawText(name, text) {
    const last = this.element.lastElementChild;
    if (last && last.dataset.stream === name) {
      last.firstChild.appendData(text);
    } else {
      const span = document.createElement("span");
      span.className = `out-${name}`;
      span.dataset.stream = name;
      span.append(document.createTextNode(text));
      this.element.append(span);
    }
    this.chars += text.length;
  }

  drawFigure({ png, alt, width, height }) {
    const url = URL.createObjectURL(new Blob([png], { type: "image/png" }));
    this.objectURLs.push(url);
    const figure = document.createElement("figure");
    figure.className = "out-figure";
    const img = document.createElement("img");
    img.src = url;
    img.alt = alt;
    img.width = width;
    img.height = height;
    figure.append(img);
    this.element.append(figure);
  }

  drawDisplay({ mime, data }) {
    const render = rendererFor(mime);
    const box = document.createElement("div");
    box.className = "out-display";
    box.dataset.mime = mime;
    this.element.append(box);
    if (!render) {
      box.textContent = `(the page cannot show ${mime} output)`;
      return;
    }
    try {
      render(box, JSON.parse(data));
    } catch (error) {
      box.textContent = `(could not show ${mime} output: ${error.message})`;
    }
  }

  drawNotice(kind, text) {
    const p = document.createElement("p");
    p.className = `out-notice out-notice-${kind}`;
    p.textContent = text;
    this.element.append(p);
  }

  /** Keep the end of long output: drop the oldest text beyond MAX_CHARS. */
  trim() {
    let excess = this.chars - MAX_CHARS;
    if (excess <= 0) return;
    for (const span of [...this.element.querySelectorAll("span[data-stream]")]) {
      if (excess <= 0) break;
      const node = span.firstChild;
      const cut = Math.min(excess, node.length);
      node.deleteData(0, cut);
      excess -= cut;
      this.chars -= cut;
      this.dropped += cut;
      if (node.length === 0) span.remove();
    }
    if (!this.droppedNote) {
      this.droppedNote = document.createElement("p");
      this.droppedNote.className = "out-notice out-notice-info out-dropped";
      this.element.prepend(this.droppedNote);
    }
    this.droppedNote.textContent =
      `… ${this.dropped.toLocaleString("en")} earlier characters of output not shown ` +
      `(only the last ${MAX_CHARS.toLocaleString("en")} are kept).`;
  }

  get textContent() {
    this.draw();
    return this.element.textContent;
  }
}
