// The code editor: CodeMirror 6 with Python highlighting, line numbers, bracket matching,
// undo, Tab to indent, and Ctrl+Enter / Cmd+Enter (or Shift+Enter) to run.
// Tab indents; Esc then Tab moves focus on (CodeMirror's escape hatch for keyboard users).

import { basicSetup, EditorView } from "codemirror";
import { python } from "@codemirror/lang-python";
import { indentWithTab } from "@codemirror/commands";
import { EditorState, Prec } from "@codemirror/state";
import { keymap } from "@codemirror/view";

const theme = EditorView.theme({
  "&": { backgroundColor: "var(--code-bg)", color: "var(--code-fg)" },
  ".cm-gutters": { backgroundColor: "var(--code-gutter-bg)", color: "var(--muted)", border: "none" },
  ".cm-activeLine": { backgroundColor: "var(--code-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--code-active-line)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--code-fg)" },
  ".cm-content": { caretColor: "var(--code-fg)" },
  // A fixed width (its glyphs' width depends on the font): the code shown as text before
  // the editor is built (.cell-source in cells.css) leaves exactly this much room.
  ".cm-foldGutter .cm-gutterElement": { width: "calc(1ch + 2px)" },
});

/**
 * Mount an editor in `parent`, with `selection` ({ anchor, head }: offsets in `code`; the
 * start by default).  onRun is called by Ctrl/Cmd+Enter and Shift+Enter; onChange(code)
 * after every edit.  Returns { view, getCode(), setCode(code),
 * replaceDocument(code), focus() }: setCode is an edit (Ctrl+Z undoes it, onChange hears
 * it); replaceDocument opens another document (fresh undo history, no onChange).
 */
export function createEditor({ parent, code, selection, label, onRun, onChange }) {
  const runKeys = Prec.highest(
    keymap.of([
      { key: "Mod-Enter", run: () => (onRun(), true) },
      { key: "Shift-Enter", run: () => (onRun(), true) },
    ]),
  );
  const extensions = [
    runKeys,
    basicSetup,
    keymap.of([indentWithTab]),
    python(),
    theme,
    // tabindex: the content is focusable by name too, which is what accessibility checkers
    // (axe's scrollable-region-focusable) look for in the scroller around it.
    EditorView.contentAttributes.of({
      "aria-label": label, tabindex: "0", autocapitalize: "off", autocorrect: "off", spellcheck: "false",
    }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange?.(update.state.doc.toString());
    }),
  ];
  const inside = (offset) => Math.max(0, Math.min(offset, code.length));
  const start = selection && { anchor: inside(selection.anchor), head: inside(selection.head) };
  const view = new EditorView({ state: EditorState.create({ doc: code, selection: start, extensions }), parent });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    replaceDocument: (text) => view.setState(EditorState.create({ doc: text, extensions })),
    focus: () => view.focus(),
  };
}
