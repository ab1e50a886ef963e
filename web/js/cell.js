// A code cell: an editor, its buttons, its output, and the runs it asks the host for.
// Lesson pages have several cells sharing one PythonHost; the full editor has one.
//
// Given a SnippetStore (storage.js), a cell keeps the learner's edits: every edit is saved
// under the cell's id, the saved version comes back on the next visit (with a note saying
// so, and another when the shipped snippet changed since), and Reset forgets it.
//
// A lazy cell (the lesson's) builds its CodeMirror editor only when mount() is called (the
// page does once CodeMirror's module is loaded, see loadEditor) or when the learner
// reaches for the code.  Until then the page's own code box shows the code, laid out like
// the editor (cells.css), and Run already works: a page's first cell has a <textarea> that
// takes typing and the run keys (plain-editor.js), whose text, selection, focus and scroll
// position CodeMirror then takes over; the others a <pre> of text, which the learner's
// click or Tab turns into the editor.

import { MOD_KEY, button } from "./controls.js";
import { OutputView } from "./output.js";
import { PlainEditor } from "./plain-editor.js";
import { encodeCode } from "./share.js";
import { PROBLEM_TEXT } from "./storage.js";

export const RUN_SHORTCUT = `${MOD_KEY}+Enter`;
/** How a keyboard user leaves a code box, where Tab indents: part of every code box's label. */
export const LEAVE_KEYS = "Tab indents; Esc, then Tab, leaves the code box";
const UNDO_SHORTCUT = `${MOD_KEY}+Z`;
const STILL_RUNNING = "Still running — press Stop (Esc) first";

let createEditor = null; // editor.js's, once loaded
let editorModule = null;

/**
 * Load CodeMirror (editor.js and its chunk, about half a megabyte of script that takes a
 * good tenth of a second to evaluate), once; resolves when cells can mount() their editor.
 */
export function loadEditor() {
  editorModule ??= import("./editor.js").then((module) => {
    createEditor = module.createEditor;
  });
  return editorModule;
}

/** Is CodeMirror loaded (mount() builds an editor at once)? */
export function editorLoaded() {
  return createEditor !== null;
}

/**
 * Show `code` in a <pre class="cell-source"> the way the build writes it (markdown.mjs):
 * one span per line, numbered by CSS, and --digits for the width of the line numbers.
 */
function showSource(pre, code) {
  const lines = code.split("\n");
  pre.style.setProperty("--digits", String(String(lines.length).length));
  const parts = [];
  for (const [index, text] of lines.entries()) {
    const line = document.createElement("span");
    line.className = "line";
    line.textContent = text;
    if (index) parts.push("\n");
    parts.push(line);
  }
  (pre.querySelector("code") ?? pre).replaceChildren(...parts);
}

function formatSeconds(seconds) {
  return seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1);
}

export class Cell {
  /**
   * root: the cell's element; it holds the shipped code (a <div class="cell-source"> with a
   * <textarea>, or a <pre class="cell-source">) and receives the editor, the toolbar and
   * the output.  options: { host, cellId, originalCode, code, playgroundURL, label,
   * onChange(code), onReset(), store, lazy, checker }.  `checker` (settable later) makes
   * runs checked exercises: { check() → { exercise, source } | null, started(),
   * verdict(event), finished(result) } (exercise.js).  `store` (a SnippetStore) makes the learner's
   * edits survive a reload; `lazy` leaves the editor to mount() (or to the learner's click
   * or focus on the code); without it the cell mounts its editor at once, so loadEditor()
   * must have resolved.
   */
  constructor(root, {
    host, cellId, originalCode, code = originalCode, playgroundURL, label, onChange, onReset, store, lazy = false,
    checker = null,
  }) {
    this.root = root;
    this.checker = checker;
    this.host = host;
    this.cellId = cellId;
    root.dataset.cellId = cellId;
    this.originalCode = originalCode;
    this.running = false;
    this.store = store ?? null;
    this.onReset = onReset;

    // The learner may have typed in the page's textarea before this script ran: that wins.
    const textarea = root.querySelector(".cell-editor textarea.cell-code");
    const typed = textarea && textarea.value !== originalCode ? textarea.value : null;
    let note = "";
    if (this.store) ({ code, note } = this.restore(code));
    if (typed !== null) code = typed; // (saved below, once there is a line for a storage problem)

    const editorHost = root.querySelector(".cell-editor") ?? root;
    this.editorHost = editorHost;
    this.label = label ?? `Python code, ${RUN_SHORTCUT} runs it. ${LEAVE_KEYS}`;
    this.onChange = onChange;
    this.editorHandle = null; // CodeMirror, once mounted
    this.pendingCode = code; // the code until then (a <pre>)
    this.source = editorHost.querySelector(".cell-source");
    this.plain = null; // the <textarea> until then
    if (this.source?.querySelector("textarea.cell-code")) {
      this.plain = new PlainEditor(this.source, {
        label: this.label,
        onRun: () => this.run(),
        onChange: (text) => {
          this.beforeReset = null; // (typed over: Ctrl+Z in the editor will not go back past it)
          this.edited(text);
        },
      });
      if (this.plain.code !== code) this.plain.replaceDocument(code);
    } else if (this.source && this.source.textContent !== code) {
      showSource(this.source, code);
    }
    if (lazy && this.plain) this.waitForTyping();
    else if (lazy && this.source) this.waitForEditor();
    else this.mount();

    this.toolbar = root.querySelector(".cell-toolbar") ?? document.createElement("div");
    this.toolbar.className = "cell-toolbar";
    this.runButton = button("run", "Run", `Run the code (${RUN_SHORTCUT})`);
    this.stopButton = button("stop", "Stop", "Stop the running code (Esc)");
    this.stopButton.hidden = true;
    this.resetButton = button("reset", "Reset", "Put back the code as it was shipped");
    this.statusLine = document.createElement("span");
    this.statusLine.className = "cell-status";
    this.statusLine.setAttribute("aria-live", "polite");
    this.toolbar.replaceChildren(this.runButton, this.stopButton, this.resetButton);
    if (playgroundURL) {
      this.openLink = document.createElement("a");
      this.openLink.className = "open-full";
      this.openLink.textContent = "Open in full editor";
      this.openLink.href = playgroundURL;
      const refresh = () => {
        this.openLink.href = `${playgroundURL}#from=${encodeURIComponent(cellId)}&${encodeCode(this.code)}`;
      };
      this.openLink.addEventListener("pointerdown", refresh);
      this.openLink.addEventListener("focus", refresh);
      this.openLink.addEventListener("click", refresh);
      this.toolbar.append(this.openLink);
    }
    this.toolbar.append(this.statusLine);
    if (!this.toolbar.isConnected) editorHost.after(this.toolbar);

    this.noteLine = document.createElement("p");
    this.noteLine.className = "cell-note";
    this.noteLine.setAttribute("role", "status");
    this.toolbar.after(this.noteLine);
    this.setNote(note);
    if (typed !== null) this.persist(typed);

    let outputElement = root.querySelector(".cell-output");
    if (!outputElement) {
      outputElement = document.createElement("div");
      outputElement.className = "cell-output";
      this.noteLine.after(outputElement);
    }
    this.output = new OutputView(outputElement);

    this.runButton.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.running) {
        event.preventDefault();
        this.stop();
      }
    });
  }

  /**
   * The editor (built now if it was not yet): { view, getCode, setCode, replaceDocument,
   * focus }; while CodeMirror is not loaded, the textarea's PlainEditor (the same methods,
   * no view).
   */
  get editor() {
    return this.mount() ?? this.plain;
  }

  get mounted() {
    return this.editorHandle !== null;
  }

  get code() {
    if (this.editorHandle) return this.editorHandle.getCode();
    return this.plain ? this.plain.code : this.pendingCode;
  }

  edited(text) {
    this.persist(text);
    this.onChange?.(text);
  }

  /**
   * Build the CodeMirror editor in place of the code box (once) and return it; null if
   * CodeMirror is not loaded yet, while an input method is composing in the textarea or
   * while the pointer is pressed on it (a selection being dragged; the page tries again
   * later, and on the pointer's release).  The editor takes over the textarea's text, selection,
   * focus and scroll position in this one task, so a key pressed meanwhile lands in it.
   */
  mount() {
    if (this.editorHandle) return this.editorHandle;
    if (!createEditor) {
      if (this.source) return null;
      throw new Error("CodeMirror is not loaded: await loadEditor() before a cell that is not lazy");
    }
    if (this.plain?.composing || this.pressing) return null;
    const taken = this.plain?.state();
    const code = this.plain ? this.plain.code : this.pendingCode;
    const hadFocus = taken ? taken.focused : this.source?.contains(document.activeElement);
    const selection = taken && { anchor: taken.anchor, head: taken.head };
    // After a Reset in the textarea, the editor starts from the learner's code and makes the
    // Reset again as an edit, so that Ctrl+Z brings their code back as it would have.
    const undoable = this.beforeReset ?? null;
    this.beforeReset = null;
    this.editorHost.replaceChildren();
    this.editorHandle = createEditor({
      parent: this.editorHost,
      code: undoable ?? code,
      selection: undoable === null ? selection : undefined,
      label: this.label,
      onRun: () => this.run(),
      onChange: (text) => this.edited(text),
    });
    if (undoable !== null) {
      this.editorHandle.setCode(code);
      if (selection) this.editorHandle.view.dispatch({ selection });
    }
    this.pendingCode = null;
    this.source = null;
    this.plain = null;
    if (taken) {
      const { scrollDOM } = this.editorHandle.view;
      scrollDOM.scrollTop = taken.scrollTop;
      scrollDOM.scrollLeft = taken.scrollLeft;
    }
    if (hadFocus) this.editorHandle.focus();
    return this.editorHandle;
  }

  /**
   * The code as text (a <pre>): the learner reaching for it (a click, a tap, Tab) builds the
   * editor at once (as soon as CodeMirror is loaded), with the cursor where they clicked.
   */
  waitForEditor() {
    const source = this.source;
    source.tabIndex = 0; // in the tab order where its editor will be, and Tab builds it
    const whenLoaded = (then) => (editorLoaded() ? then() : loadEditor().then(then));
    source.addEventListener("focus", () => whenLoaded(() => this.mount())); // (focused if it still is)
    source.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return; // a right click keeps the browser's menu
      // A finger may only be scrolling: build the editor, and let a tap that follows land
      // in it.  A mouse press is a click in the code: the editor takes it from here.
      if (event.pointerType !== "mouse") {
        whenLoaded(() => this.mount());
        return;
      }
      event.preventDefault(); // no mouse events for the <pre>, which is gone
      const { clientX: x, clientY: y } = event;
      whenLoaded(() => {
        const { view } = this.mount();
        const at = view.posAtCoords({ x, y });
        view.focus();
        if (at !== null) view.dispatch({ selection: { anchor: at } });
      });
    });
  }

  /**
   * The code in a <textarea>: it takes typing as it is.  Once CodeMirror is loaded, the
   * learner reaching for it (Tab, a click, a tap) gets the editor at once, with the caret
   * where it was put: after the pointer is released (the browser has placed the caret and
   * any dragged selection by then), after focus for the keyboard.
   */
  waitForTyping() {
    const textarea = this.plain.textarea;
    this.pressing = false;
    const later = () => setTimeout(() => editorLoaded() && this.mount(), 0);
    textarea.addEventListener("pointerdown", () => {
      this.pressing = true;
      const released = () => {
        removeEventListener("pointerup", released, true);
        removeEventListener("pointercancel", released, true);
        this.pressing = false;
        later();
      };
      addEventListener("pointerup", released, true);
      addEventListener("pointercancel", released, true);
    });
    textarea.addEventListener("focus", () => this.pressing || later());
  }

  /** The saved version of this snippet, if any, and the note that says where it came from. */
  restore(code) {
    const saved = this.store.load(this.cellId);
    this.base = saved?.base ?? this.originalCode;
    if (!saved || saved.code === this.originalCode) {
      if (saved) this.store.remove(this.cellId);
      this.base = this.originalCode;
      return { code, note: "" };
    }
    const note = this.base === this.originalCode
      ? "Your edited version, saved in this browser. Reset brings back the original."
      : "This snippet was updated since you edited it. Your version is shown; Reset loads the new one.";
    return { code: saved.code, note };
  }

  /** Save the learner's version (or forget it once it is the original again). */
  persist(text) {
    if (!this.store) return;
    if (text === this.originalCode && this.base === this.originalCode) {
      this.store.remove(this.cellId);
      return;
    }
    const kept = this.store.save(this.cellId, { code: text, base: this.base });
    if (!kept && !this.warnedStorage) {
      this.warnedStorage = true;
      this.setNote(PROBLEM_TEXT[this.store.storage.problem] ?? PROBLEM_TEXT.full, "warning");
    }
  }

  /** A line under the toolbar about the code itself (saved edits, updates); "" hides it. */
  setNote(text, kind = "info") {
    this.noteLine.textContent = text;
    this.noteLine.dataset.kind = kind;
    this.noteLine.hidden = !text;
  }

  setStatus(text, kind = "") {
    this.statusLine.textContent = text;
    this.statusLine.dataset.kind = kind;
  }

  /** Show another document (another snippet, a file): no undo back into the old one. */
  loadCode(code) {
    this.editor.replaceDocument(code);
  }

  /** Runs go to the worker under this id (its namespace and its traceback file name). */
  setCellId(cellId) {
    this.cellId = cellId;
    this.root.dataset.cellId = cellId;
  }

  clearOutput() {
    this.output.clear();
    this.setStatus("");
  }

  setRunning(running) {
    // Keep keyboard focus on the button that stands where the pressed one was.
    const focused = document.activeElement;
    this.running = running;
    this.root.classList.toggle("is-running", running);
    // Not `disabled`: a press during a run still arrives, and says why nothing starts.
    this.runButton.setAttribute("aria-disabled", String(running));
    this.stopButton.hidden = !running;
    if (running && focused === this.runButton) this.stopButton.focus();
    if (!running && focused === this.stopButton) this.runButton.focus();
  }

  async run() {
    if (this.running) {
      this.setStatus(STILL_RUNNING, "running"); // (read out: the status line is aria-live)
      return;
    }
    this.setRunning(true);
    this.output.clear();
    this.setStatus(this.host.ready ? "Running…" : "Waiting for Python to load…", "running");
    const started = performance.now();
    const output = this.output;
    const checker = this.checker;
    checker?.started();
    const result = await this.host.run(this.cellId, this.code, {
      stream: (event) => output.stream(event),
      figure: (event) => output.figure(event),
      display: (event) => output.display(event),
      verdict: (event) => checker?.verdict(event),
      input: ({ prompt }) => this.askInput(prompt),
      status: ({ phase, detail }) => {
        if (phase === "installing") this.setStatus(detail || "Loading packages…", "running");
        else if (phase === "running") this.setStatus("Running…", "running");
      },
    }, { check: checker?.check() ?? null });
    const seconds = (performance.now() - started) / 1000;
    this.finish(result, seconds);
    checker?.finished(result);
  }

  finish(result, seconds) {
    this.output.draw();
    for (const form of this.output.element.querySelectorAll("form.out-input")) form.remove();
    this.setRunning(false);
    switch (result.status) {
      case "ok":
        this.setStatus(`Done in ${formatSeconds(seconds)} s`, "ok");
        break;
      case "error":
        this.setStatus(`Error: ${result.errorType ?? "the code failed"}`, "error");
        break;
      case "stopped":
        this.output.notice("info", result.message || (result.restarted
          ? "Stopped. Python was restarted, so variables from earlier runs are gone; Run starts afresh."
          : "Stopped (KeyboardInterrupt). Your variables are kept."));
        this.setStatus("Stopped", "stopped");
        break;
      default:
        this.output.notice("error", `${result.message || "Python stopped unexpectedly."} ` +
          (result.restarted ? "Python is being restarted; press Run to try again." : "Press Run to try again."));
        this.setStatus("Python crashed", "error");
    }
    this.output.draw();
  }

  stop() {
    if (!this.running) return;
    this.setStatus("Stopping…", "running");
    this.host.stop(this.cellId);
  }

  /**
   * Put back the shipped code (an edit: Ctrl+Z brings the learner's version back).  In a
   * textarea (CodeMirror not loaded yet), the learner's version is kept for the editor,
   * which is loaded now and makes the Reset again as an edit (see mount).
   */
  reset() {
    const changed = this.code !== this.originalCode;
    this.base = this.originalCode;
    const editor = this.editor;
    const before = editor.getCode();
    editor.setCode(this.originalCode);
    if (editor === this.plain) {
      if (changed) this.beforeReset = before;
      loadEditor().then(() => this.mount());
    }
    this.store?.remove(this.cellId);
    this.output.clear();
    this.setNote("");
    this.setStatus(changed ? `Original code back (${UNDO_SHORTCUT} undoes)` : "", "info");
    this.host.reset(this.cellId);
    this.onReset?.();
  }

  /** input(): an inline text box in the output; resolves with the learner's answer. */
  askInput(prompt) {
    this.output.draw();
    return new Promise((resolve) => {
      const form = document.createElement("form");
      form.className = "out-input";
      const field = document.createElement("input");
      field.type = "text";
      field.setAttribute("aria-label", prompt || "Input for the program");
      field.autocomplete = "off";
      const submit = button("submit", "Enter");
      submit.type = "submit";
      form.append(field, submit);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const answer = field.value;
        form.replaceWith(document.createTextNode(""));
        this.output.stream({ name: "stdin", text: `${answer}\n` });
        resolve(answer);
      });
      this.output.element.hidden = false;
      this.output.element.append(form);
      field.focus();
    });
  }
}
