// Page wiring for lesson pages: every <section class="cell"> becomes a runnable cell,
// all sharing one Python worker (started before this module, by start.js).
//
// The page arrives with each cell's code in a <textarea> laid out like the editor: the
// learner can type in it from the first paint, and Run and the run keys work as soon as
// this module has run.  CodeMirror (half a megabyte of script, a good tenth of a second of
// the main thread to evaluate, then a few hundredths per editor) comes second: its module
// is evaluated once the page has been shown for a second and the learner is not typing,
// so that a click or a keystroke in the first moments is answered at once.  Then the cells
// in view get their editor, one per task, the one with the focus first; the others when
// they come near the viewport, when the learner clicks or tabs into their code, or when
// the page has nothing better to do.  Each editor takes over its textarea's text,
// selection, focus and scroll position; nothing moves.

import { Cell, editorLoaded, loadEditor } from "../cell.js";
import { Exercise } from "../exercise.js";
import { ExerciseSummary } from "../exercise-summary.js";
import { ExerciseProgress } from "../progress.js";
import { SnippetStore } from "../storage.js";
import { startPython, takeHeldRuns } from "./common.js";

/** How far outside the viewport a cell gets its editor before it scrolls into view. */
const NEAR = "50% 0px";
/** The other editors are built from this long after Python is ready (or failed to load)... */
const AFTER_READY_MS = 2000;
/** ...or after this long in any case, and not while code runs: then they wait this long. */
const LATEST_MS = 20_000;
const BUSY_RETRY_MS = 500;
/** CodeMirror is evaluated this long after the page is first shown, at the earliest... */
const SHOWN_MS = 1000;
/** ...and this long after the learner's latest keystroke or click in a code box. */
const TYPING_PAUSE_MS = 600;

const host = startPython();
const edits = new SnippetStore("lesson"); // the learner's edits survive a reload
const playgroundURL = new URL("playground.html", document.baseURI).pathname;

const cells = [...document.querySelectorAll(".cell[data-cell-id]")].map((root) => new Cell(root, {
  host,
  cellId: root.dataset.cellId,
  // (a textarea's value may be typed in already: what was shipped is its defaultValue)
  originalCode: root.querySelector("textarea.cell-code")?.defaultValue ?? root.querySelector(".cell-source").textContent,
  playgroundURL,
  store: edits,
  lazy: true,
}));
globalThis.labCells = cells;
setUpExercises();
const byId = new Map(cells.map((cell) => [cell.cellId, cell]));
for (const id of takeHeldRuns()) byId.get(id)?.run(); // run keys pressed before the cells existed

// A link to a part far down (#anchor): the sections above it have guessed heights until
// they are laid out, and laying out the ones near it would move it.  So lay out every
// section before it now and scroll to it again: it lands exactly below the header.
function landOnTarget() {
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  for (const section of document.querySelectorAll(".lesson-section")) {
    const before = section.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (before || section.contains(target)) section.style.contentVisibility = "visible";
  }
  target.scrollIntoView();
}
landOnTarget();
addEventListener("hashchange", landOnTarget);

const whenIdle = globalThis.requestIdleCallback ?? ((work) => setTimeout(() => work({ timeRemaining: () => 0 }), 50));
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

// CodeMirror waits until the page has been shown for SHOWN_MS and the learner has left the
// code boxes alone for TYPING_PAUSE_MS, then for an idle moment.
let touched = -Infinity;
const touch = (event) => {
  if (event.target.closest?.(".cell-source")) touched = performance.now();
};
addEventListener("keydown", touch, true);
addEventListener("pointerdown", touch, true);
function whenQuiet(work) {
  const check = () => {
    const wait = touched + TYPING_PAUSE_MS - performance.now();
    if (wait > 0) setTimeout(check, wait);
    else whenIdle(work, { timeout: 1000 });
  };
  requestAnimationFrame(() => setTimeout(check, SHOWN_MS));
}
whenQuiet(() => loadEditor().then(mountInView));

const byRoot = new Map(cells.map((cell) => [cell.root, cell]));
const near = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting || !editorLoaded()) continue;
    const cell = byRoot.get(entry.target);
    if (cell.mount()) near.unobserve(entry.target);
  }
}, { rootMargin: NEAR });

/** Editors for the cells in view (the one with the focus first), one per task; then watch the others. */
async function mountInView() {
  // All are measured before any is built, so the layout is computed once.
  const inView = [];
  for (const cell of cells) {
    const { top, bottom } = cell.root.getBoundingClientRect();
    if (top >= innerHeight) break;
    if (bottom > 0) inView.push(cell);
  }
  const focused = cells.find((cell) => cell.root.contains(document.activeElement));
  if (focused) inView.unshift(focused);
  for (const cell of inView) {
    if (cell.mounted) continue;
    cell.mount();
    await nextTask(); // a keystroke waits for one editor at most
  }
  for (const cell of cells) if (!cell.mounted) near.observe(cell.root);
}

// The rest in the background: once Python is ready (it needs the processor more until
// then) and a moment later (a Run pressed at once has the page to itself), one editor
// per idle moment (a keystroke never waits for more than one), never during a run.
function mountWhileIdle(deadline) {
  if (host.busy || !editorLoaded()) {
    setTimeout(() => whenIdle(mountWhileIdle), BUSY_RETRY_MS);
    return;
  }
  for (const cell of cells) {
    if (cell.mounted) continue;
    if (cell.mount()) near.unobserve(cell.root);
    if (deadline.timeRemaining() < 20) break;
  }
  if (cells.some((cell) => !cell.mounted)) whenIdle(mountWhileIdle);
  else near.disconnect();
}
let timer = setTimeout(() => mountTheRest(0), LATEST_MS);
function mountTheRest(delay) {
  host.removeEventListener("status", whenStarted);
  clearTimeout(timer);
  timer = setTimeout(() => whenIdle(mountWhileIdle), delay);
}
const whenStarted = ({ detail: { phase } }) => ["ready", "error"].includes(phase) && mountTheRest(AFTER_READY_MS);
if (["ready", "error"].includes(host.phase)) mountTheRest(AFTER_READY_MS);
else host.addEventListener("status", whenStarted);

// The interactive figures and the "predict, then run" questions (web/js/explore/), loaded
// on the pages that have some.
if (document.querySelector(".question, figure.widget")) {
  import("../explore/page.js").then(({ setUpExplore }) => setUpExplore());
}

/**
 * The checked exercises (cells marked data-exercise-id, their check, hints and solution in
 * the JSON beside them): each gets its head, buttons and verdict (exercise.js), and the
 * page its "k of n exercises solved" under the title.
 */
function setUpExercises() {
  const progress = new ExerciseProgress(edits.storage);
  let summary = null;
  const exercises = [];
  for (const cell of cells) {
    const id = cell.root.dataset.exerciseId;
    const json = cell.root.querySelector("script.exercise-data");
    if (!id || !json) continue;
    const exercise = new Exercise(cell, {
      id,
      data: JSON.parse(json.textContent),
      starter: cell.originalCode,
      progress,
      onProgress: () => summary?.update(),
    });
    exercise.placeButtons();
    cell.root.prepend(exercise.head);
    cell.noteLine.after(exercise.panel);
    exercises.push(exercise);
  }
  if (!exercises.length) return;
  summary = new ExerciseSummary(exercises, progress);
  const title = document.querySelector("main h1");
  if (title) title.after(summary.element);
  else document.querySelector("main")?.prepend(summary.element);
  globalThis.labExercises = exercises;
}
