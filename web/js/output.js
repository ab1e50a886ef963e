// Output rendering: a cell's printed text, plots and errors, drawn in order.
//
// A loop that prints a million lines must not freeze the page, so:
// - text arrives from the worker in batches (lab_runner sends ~4 KB at a time), is queued,
//   and is drawn at most once per animation frame;
// - only the last MAX_CHARS characters are kept; a note at the top says how many were
//   dropped.  Text that would be dropped anyway is dropped from the queue before it is
//   ever drawn, so memory stays bounded however fast Python prints;
// - text is drawn in chunks of about CHUNK_CHARS characters, cut at line ends.  A full
//   chunk that starts at the start of a line is shown as its own block, so the browser
//   lays out only the new chunks each frame (not the whole output again) and dropping the
//   oldest text removes whole chunks;
// - while the learner has not scrolled up, the output follows its end, like a terminal.
// Everything is inserted as text (never as HTML): learner output cannot inject markup.

import { rendererFor } from "./renderers.js";

export const MAX_CHARS = 200_000;
export const CHUNK_CHARS = 8_192;

export class OutputView {
  constructor(element) {
    this.element = element;
    this.element.setAttribute("role", "log");
    this.element.setAttribute("aria-live", "polite");
    this.clear();
  }

  clear() {
    if (this.frame) cancelAnimationFrame(this.frame);
    for (const url of this.objectURLs ?? []) URL.revokeObjectURL(url);
    this.objectURLs = [];
    this.pending = [];
    this.pendingChars = 0;
    this.frame = 0;
    this.chars = 0; // characters of text on screen
    this.dropped = 0; // characters dropped so far
    this.droppedNote = null;
    this.openChunk = null; // the text chunk new text of the same stream is appended to
    this.element.replaceChildren();
    this.element.hidden = true;
    this.element.removeAttribute("tabindex");
  }

  // Each event of a run (protocol.js) has the method of its name, given its message.

  /** Queue text from stdout or stderr (or "stdin": the learner's answers to input()). */
  stream({ name, text }) {
    if (!text) return;
    const last = this.pending.at(-1);
    if (last?.kind === "text" && last.name === name) last.text += text;
    else this.pending.push({ kind: "text", name, text });
    this.pendingChars += text.length;
    if (this.pendingChars > MAX_CHARS) this.dropQueuedText(this.pendingChars - MAX_CHARS);
    this.schedule();
  }

  /** A matplotlib figure, as PNG bytes. */
  figure({ png, alt, width, height }) {
    this.pending.push({ kind: "figure", png, alt, width, height });
    this.schedule();
  }

  /** Rich output from lab_runner.display(mime, data). */
  display({ mime, data }) {
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

  /**
   * Forget the oldest queued text: it would only be drawn to be trimmed away.  Everything
   * already on screen goes too, since it is older still.
   */
  dropQueuedText(excess) {
    this.dropScreenText(this.chars);
    for (const item of this.pending) {
      if (excess <= 0) break;
      if (item.kind !== "text") continue;
      const cut = Math.min(excess, item.text.length);
      item.text = item.text.slice(cut);
      excess -= cut;
      this.pendingChars -= cut;
      this.dropped += cut;
    }
    this.pending = this.pending.filter((item) => item.kind !== "text" || item.text);
  }

  /** Draw everything queued now (also used before reading the output in tests). */
  draw() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const items = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    if (!items.length && !this.dropped) return;
    const box = this.element;
    const following = box.hidden || box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
    box.hidden = false;
    for (const item of items) {
      if (item.kind === "text") this.drawText(item.name, item.text);
      else {
        this.openChunk = null;
        if (item.kind === "figure") this.drawFigure(item);
        else if (item.kind === "display") this.drawDisplay(item);
        else this.drawNotice(item.name, item.text);
      }
    }
    this.trim();
    const scrolls = box.scrollHeight > box.clientHeight;
    if (following && scrolls) box.scrollTop = box.scrollHeight;
    // An output taller than its box scrolls: then it is a Tab stop, so that the keyboard
    // can scroll it too (the figures' sizes are known before they load: width and height).
    if (scrolls) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  }

  /** Append text, filling chunks of about CHUNK_CHARS cut after a newline. */
  drawText(name, text) {
    this.chars += text.length;
    while (text) {
      let chunk = this.openChunk;
      if (!chunk || chunk.dataset.stream !== name || chunk !== this.element.lastChild) {
        chunk = this.newChunk(name);
      }
      const node = chunk.firstChild;
      const room = CHUNK_CHARS - node.length;
      if (text.length <= room) {
        node.appendData(text);
        return;
      }
      // Cut after the last newline that fits; a line longer than a chunk stays whole.
      let cut = text.lastIndexOf("\n", Math.max(room - 1, 0));
      if (cut < 0) cut = text.indexOf("\n", room);
      if (cut < 0) {
        node.appendData(text);
        return;
      }
      node.appendData(text.slice(0, cut + 1));
      this.seal(chunk);
      text = text.slice(cut + 1);
    }
  }

  newChunk(name) {
    const previous = this.element.lastChild;
    const span = document.createElement("span");
    span.className = `out-${name}`;
    span.dataset.stream = name;
    // Does it start a line?  Then, once full, it can be laid out as a block of its own.
    span.dataset.lineStart = String(
      !previous || previous.nodeName !== "SPAN" || previous.textContent.endsWith("\n"),
    );
    span.append(document.createTextNode(""));
    this.element.append(span);
    this.openChunk = span;
    return span;
  }

  /**
   * A full chunk (ending with a newline): nothing more is appended to it.  If it starts a
   * line it becomes a block that the browser lays out only while it is scrolled into view
   * (content-visibility), sized meanwhile by its line count.
   */
  seal(chunk) {
    this.openChunk = null;
    if (chunk.dataset.lineStart !== "true") return;
    this.lineHeight ??= parseFloat(getComputedStyle(this.element).lineHeight) || 20;
    const lines = chunk.firstChild.data.split("\n").length - 1;
    chunk.style.display = "block";
    chunk.style.contentVisibility = "auto";
    chunk.style.containIntrinsicBlockSize = `auto ${Math.round(lines * this.lineHeight)}px`;
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

  /** Drop the oldest text on screen, whole chunks first; returns how much was dropped. */
  dropScreenText(excess) {
    let removed = 0;
    while (excess > 0) {
      const chunk = this.element.querySelector("span[data-stream]");
      if (!chunk) break;
      const node = chunk.firstChild;
      const cut = Math.min(excess, node.length);
      if (cut === node.length) {
        if (chunk === this.openChunk) this.openChunk = null;
        chunk.remove();
      } else {
        node.deleteData(0, cut);
      }
      excess -= cut;
      removed += cut;
    }
    this.chars -= removed;
    this.dropped += removed;
    return removed;
  }

  /** Keep the end of long output: at most MAX_CHARS characters, and a note saying so. */
  trim() {
    if (this.chars > MAX_CHARS) this.dropScreenText(this.chars - MAX_CHARS);
    if (!this.dropped) return;
    if (!this.droppedNote) {
      this.droppedNote = document.createElement("p");
      this.droppedNote.className = "out-notice out-notice-info out-dropped";
    }
    if (this.element.firstChild !== this.droppedNote) this.element.prepend(this.droppedNote);
    this.droppedNote.textContent =
      `… ${this.dropped.toLocaleString("en")} earlier characters of output not shown ` +
      `(only the last ${MAX_CHARS.toLocaleString("en")} are kept).`;
  }

  get textContent() {
    this.draw();
    return this.element.textContent;
  }
}
