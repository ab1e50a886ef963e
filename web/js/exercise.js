// A checked exercise around a code cell (cell.js): Run sends the exercise's check with the
// code (protocol.js, run.check), and the one verdict event that comes back is drawn in a
// region of its own, apart from what the code printed: printing "Correct!" passes nothing.
//
// Around the cell it adds:
// - a head: the exercise's title and its state as words (not tried / not yet / solved /
//   solved after seeing the solution), kept in this browser (progress.js);
// - Hint, which shows the next hint (a nudge first, then more concrete ones), then Show
//   solution, which asks first, records that the solution was seen, and puts it in the
//   editor as an edit: Ctrl+Z, or the Undo button it offers, brings the learner's code back;
// - Start over (asks first): the starter back (undoable too), the progress forgotten;
// - a note when the exercise changed since the learner last worked on it (a new build).
// The page decides where the head and the panel (verdict, hints, questions) go.

import { loadEditor, RUN_SHORTCUT } from "./cell.js";
import { button, MOD_KEY } from "./controls.js";
import { InlineConfirm } from "./inline-confirm.js";
import { STATE_TEXT, exerciseVersion, stateOf } from "./progress.js";

const UNDO_SHORTCUT = `${MOD_KEY}+Z`;

function element(tag, className, text = "") {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

export class Exercise {
  /**
   * cell: the Cell holding the learner's code.  id: the exercise's id.  data: { title,
   * hints: [html], solution, check } (from the page's exercise-data JSON, or snippets.json).
   * starter: the code as shipped.  progress: an ExerciseProgress.  onProgress(): called when
   * the exercise's state changes (for the page's "k of n").
   */
  constructor(cell, { id, data, starter, progress, onProgress }) {
    this.cell = cell;
    this.id = id;
    this.data = data;
    this.progress = progress;
    this.onProgress = onProgress;
    this.version = exerciseVersion(starter, data.check);
    this.verdictSeen = false;
    this.undoCode = null;

    this.head = element("div", "exercise-head");
    const label = element("span", "exercise-label", "Exercise");
    const title = element("span", "exercise-title", data.title);
    this.stateBadge = element("span", "exercise-state");
    this.head.append(label, " ", title, " ", this.stateBadge);

    this.hintButton = button("hint", "Hint", "Show the next hint: a nudge first, then more concrete ones");
    this.solutionButton = button("show-solution", "Show solution", "Put the solution in the editor (asks first)");
    this.startOverButton = button("start-over", "Start over", "Put back the starter code and forget this exercise's progress (asks first)");
    this.buttons = [this.hintButton, this.solutionButton, this.startOverButton];
    this.hintButton.addEventListener("click", () => this.nextHint());
    this.solutionButton.addEventListener("click", () => this.askToReveal());
    this.startOverButton.addEventListener("click", () => this.askToStartOver());

    this.panel = element("div", "exercise-panel");
    this.confirmation = new InlineConfirm();
    this.revealBox = element("p", "exercise-revealed");
    this.revealBox.hidden = true;
    this.verdictBox = element("div", "exercise-verdict");
    this.verdictBox.setAttribute("role", "status");
    this.verdictBox.setAttribute("aria-live", "polite");
    this.verdictBox.setAttribute("aria-label", `Check of the exercise ${data.title}`);
    this.verdictBox.hidden = true;
    this.hintList = element("ol", "exercise-hints");
    this.hintList.setAttribute("aria-label", "Hints");
    this.panel.append(this.confirmation.element, this.revealBox, this.verdictBox, this.hintList);

    cell.checker = this;
    this.restore();
  }

  /**
   * Put the buttons in the cell's toolbar, after Reset (which puts back the starter code
   * only; Start over forgets the progress and hints too).
   */
  placeButtons() {
    this.cell.resetButton.after(...this.buttons);
  }

  /** Take the exercise off its cell (the full editor opening something else). */
  detach() {
    for (const control of [...this.buttons, this.head, this.panel]) control.remove();
    if (this.cell.checker === this) this.cell.checker = null;
  }

  get record() {
    return this.progress.load(this.id);
  }

  save(changes) {
    const record = this.progress.update(this.id, { ...changes, version: this.version });
    this.showState(record);
    this.onProgress?.();
    return record;
  }

  /** Draw what was kept: state, hints shown, solution seen, and whether the exercise changed. */
  restore() {
    const record = this.record;
    this.hintList.replaceChildren();
    for (let n = 0; n < Math.min(record.hints, this.data.hints.length); n++) this.addHint(n);
    this.showState(record);
    if (record.version && record.version !== this.version) {
      this.note("This exercise was changed since you last worked on it. Your code is kept; " +
        `Run (${RUN_SHORTCUT}) checks it against the new version.`);
      this.save({});
    }
  }

  /** A line in the cell's note, after whatever the cell says there (its saved edits). */
  note(text) {
    const said = this.cell.noteLine.hidden ? "" : `${this.cell.noteLine.textContent} `;
    this.cell.setNote(`${said}${text}`);
  }

  showState(record = this.record) {
    const state = stateOf(record);
    this.stateBadge.dataset.state = state;
    this.stateBadge.textContent = STATE_TEXT[state];
    this.cell.root.dataset.exerciseState = state;
    const shown = Math.min(record.hints, this.data.hints.length);
    const left = this.data.hints.length - shown;
    this.hintButton.hidden = left === 0;
    this.hintButton.textContent = `${shown === 0 ? "Hint" : "Next hint"} (${shown + 1} of ${this.data.hints.length})`;
    this.solutionButton.hidden = left > 0;
  }

  // ------------------------------------------------------------------ runs and verdicts

  /** The check that goes with each Run (cell.js). */
  check() {
    return { exercise: this.id, source: this.data.check };
  }

  started() {
    this.verdictSeen = false;
    this.verdictBox.hidden = false;
    this.verdictBox.dataset.status = "checking";
    this.verdictBox.replaceChildren(element("p", "verdict-title", "Checking your code…"));
  }

  /** The verdict event: { exercise, status: "passed" | "not-yet", message, mistake, details }. */
  verdict(event) {
    if (event.exercise !== this.id) return;
    this.verdictSeen = true;
    const passed = event.status === "passed";
    const title = element("p", "verdict-title", passed ? "✓ Passed" : "✗ Not yet");
    const parts = [title, element("p", "verdict-message", event.message ?? "")];
    if (event.mistake) this.verdictBox.dataset.mistake = event.mistake;
    else delete this.verdictBox.dataset.mistake;
    const details = Array.isArray(event.details) ? event.details : [];
    if (details.length) {
      const list = element("ul", "verdict-details");
      for (const detail of details) list.append(element("li", "", String(detail)));
      parts.push(list);
    }
    if (!passed && this.record.hints < this.data.hints.length) {
      parts.push(element("p", "verdict-more", "Stuck? Hint gives a nudge."));
    }
    this.verdictBox.dataset.status = passed ? "passed" : "not-yet";
    this.verdictBox.replaceChildren(...parts);
    this.progress.checked(this.id, passed ? "passed" : "not-yet");
    this.save({});
  }

  /** The run is over: if no verdict came (stopped, restarted, crashed), say why. */
  finished(result) {
    if (this.verdictSeen) return;
    let why = "Python stopped unexpectedly before the check could run; press Run to try again.";
    if (result.status === "stopped") {
      why = result.restarted
        ? "The run was stopped (Python was restarted) before the check could run."
        : "The run was stopped before the check could run.";
    } else if (result.status === "ok" || result.status === "error") {
      why = "The check did not answer; press Run to try again.";
    }
    this.verdictBox.dataset.status = "unchecked";
    this.verdictBox.replaceChildren(element("p", "verdict-title", "Not checked"), element("p", "verdict-message", why));
  }

  clearVerdict() {
    this.verdictBox.hidden = true;
    this.verdictBox.replaceChildren();
    delete this.verdictBox.dataset.status;
  }

  // ------------------------------------------------------------------ hints and the solution

  addHint(n) {
    const item = element("li", "exercise-hint");
    item.innerHTML = this.data.hints[n]; // the build's own HTML, rendered from the exercise file
    item.tabIndex = -1;
    this.hintList.append(item);
    return item;
  }

  nextHint() {
    const shown = Math.min(this.record.hints, this.data.hints.length);
    if (shown >= this.data.hints.length) return;
    const item = this.addHint(shown);
    this.save({ hints: shown + 1 });
    // The button may have gone (the last hint): the hint itself takes the focus.
    if (this.hintButton.hidden) (this.solutionButton.hidden ? item : this.solutionButton).focus();
    item.scrollIntoView({ block: "nearest" });
  }

  askToReveal() {
    this.confirmation.ask(
      "Show the solution? It goes in the editor in place of your code (Undo brings yours back), " +
        "and this exercise is marked as solved after seeing the solution.",
      "Show the solution",
      () => this.reveal(),
      this.solutionButton,
    );
  }

  /** The CodeMirror editor (loaded now if need be): its edits are undoable. */
  async codeEditor() {
    await loadEditor();
    return this.cell.mount() ?? this.cell.editor;
  }

  async reveal() {
    this.save({ revealed: true });
    const editor = await this.codeEditor();
    const mine = editor.getCode();
    if (mine !== this.data.solution) {
      this.undoCode = mine;
      editor.setCode(this.data.solution);
    }
    this.showUndo("The solution is in the editor; Run checks it.");
    editor.focus();
  }

  /** The line under the toolbar that offers the learner's code back after a replacement. */
  showUndo(text) {
    this.revealBox.replaceChildren(element("span", "", text));
    if (this.undoCode !== null) {
      const undo = button("undo-solution", "Undo: bring back my code");
      undo.addEventListener("click", () => this.undo());
      this.revealBox.append(` Your code is kept: ${UNDO_SHORTCUT} in the editor, or `, undo, ".");
    }
    this.revealBox.hidden = false;
  }

  async undo() {
    if (this.undoCode === null) return;
    const editor = await this.codeEditor();
    editor.setCode(this.undoCode); // an edit too: Ctrl+Z puts the solution back
    this.undoCode = null;
    this.revealBox.hidden = true;
    this.cell.setStatus(`Your code is back (${UNDO_SHORTCUT} undoes)`, "info");
    editor.focus();
  }

  askToStartOver() {
    this.confirmation.ask(
      "Start this exercise over? The starter code goes back in the editor (" +
        `${UNDO_SHORTCUT} brings yours back) and its progress and hints are forgotten.`,
      "Start over",
      () => this.startOver(),
      this.startOverButton,
    );
  }

  /** Starter back (an undoable edit), progress and hints forgotten, verdict cleared. */
  async startOver() {
    if (this.cell.code !== this.cell.originalCode) await this.codeEditor();
    this.cell.reset();
    this.progress.forget(this.id);
    this.undoCode = null;
    this.revealBox.hidden = true;
    this.clearVerdict();
    this.restore();
    this.onProgress?.();
  }
}
