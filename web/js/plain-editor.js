// The code box a lesson cell has from the first paint: the page arrives with a <textarea>
// holding the code, laid out exactly like the CodeMirror editor that later takes its place
// (cells.css; markdown.mjs writes it), beside a column of line numbers.  The learner can
// click and type in it before any script has run.  This module adds what the editor would
// do meanwhile, without CodeMirror's weight: line numbers that follow the text, Ctrl/Cmd+
// Enter or Shift+Enter to run, Enter keeping the indentation (one level more after a
// colon), Tab indenting (Esc then Tab moves focus on, as in the editor).  Edits go through
// the browser's own editing commands, so Ctrl+Z undoes them.

const INDENT = "    ";

/** Ctrl/Cmd+Enter or Shift+Enter: the keys that run a cell. */
export function isRunKey(event) {
  return event.key === "Enter" && !event.altKey && (event.ctrlKey || event.metaKey || event.shiftKey);
}

/**
 * The textarea as an editor, with the methods of editor.js's (getCode, setCode,
 * replaceDocument, focus), so a cell can hand out either.
 */
export class PlainEditor {
  /**
   * source: the <div class="cell-source"> holding a <pre class="cell-gutter"> and a
   * <textarea class="cell-code">.  onRun() on the run keys; onChange(code) after every edit.
   */
  constructor(source, { label, onRun, onChange }) {
    this.source = source;
    this.onChange = onChange;
    this.textarea = source.querySelector("textarea.cell-code");
    this.gutter = source.querySelector(".cell-gutter");
    this.composing = false; // an input method is composing text
    this.escaped = false; // Esc was pressed: the next Tab moves focus on
    this.lineCount = this.gutter.textContent.split("\n").length; // (as the build wrote them)
    if (label) this.textarea.setAttribute("aria-label", label);
    this.updateLines();
    const textarea = this.textarea;
    textarea.addEventListener("compositionstart", () => (this.composing = true));
    textarea.addEventListener("compositionend", () => (this.composing = false));
    textarea.addEventListener("input", () => {
      this.updateLines();
      onChange?.(this.code);
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.isComposing || event.defaultPrevented) return;
      const escaped = this.escaped;
      this.escaped = event.key === "Escape";
      if (isRunKey(event)) {
        event.preventDefault();
        onRun?.();
      } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        this.insert(`\n${this.indentAfter()}`);
      } else if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey && !escaped) {
        event.preventDefault();
        this.insert(INDENT);
      }
    });
  }

  get code() {
    return this.textarea.value;
  }

  getCode() {
    return this.textarea.value;
  }

  /** Replace the code; onChange hears it (the textarea's own Ctrl+Z cannot undo it). */
  setCode(code) {
    this.replaceDocument(code);
    this.onChange?.(code);
  }

  /** Show other code (another document: onChange does not hear it). */
  replaceDocument(code) {
    this.textarea.value = code;
    this.updateLines();
  }

  focus() {
    this.textarea.focus();
  }

  /** The indentation of the line the caret is on, one level more after a colon. */
  indentAfter() {
    const { value, selectionStart } = this.textarea;
    const line = value.slice(value.lastIndexOf("\n", selectionStart - 1) + 1, selectionStart);
    const indent = /^[ \t]*/.exec(line)[0];
    return line.trimEnd().endsWith(":") ? indent + INDENT : indent;
  }

  /** Type `text` over the selection, as the learner would (undoable), then follow it. */
  insert(text) {
    const textarea = this.textarea;
    // execCommand keeps the browser's undo history; where it is missing, setRangeText.
    if (!document.execCommand?.("insertText", false, text)) {
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  /** Line numbers for every line, and the box's height where CSS cannot size it to the text. */
  updateLines() {
    const count = this.textarea.value.split("\n").length;
    if (count === this.lineCount) return;
    this.lineCount = count;
    this.textarea.rows = count;
    this.source.style.setProperty("--digits", String(String(count).length));
    this.gutter.textContent = Array.from({ length: count }, (_, index) => index + 1).join("\n");
  }

  /**
   * What CodeMirror needs to take over without the learner noticing: the selection (anchor,
   * head), whether the box had the focus, and how far its code was scrolled.
   */
  state() {
    const { selectionStart, selectionEnd, selectionDirection } = this.textarea;
    const backward = selectionDirection === "backward";
    return {
      anchor: backward ? selectionEnd : selectionStart,
      head: backward ? selectionStart : selectionEnd,
      focused: document.activeElement === this.textarea,
      scrollTop: this.source.scrollTop,
      scrollLeft: this.source.scrollLeft,
    };
  }
}
