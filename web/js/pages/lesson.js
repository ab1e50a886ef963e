// Page wiring for lesson pages: every <section class="cell"> becomes a runnable cell,
// all sharing one Python worker (started before this module, by start.js).
//
// A lesson has a dozen cells or more, and building a CodeMirror editor takes a while, so
// only the cells in view get theirs at once.  The others keep showing their code as text
// (laid out like the editor, so nothing moves when it arrives; Run already works) and get
// their editor when they come near the viewport, when the learner clicks or tabs into the
// code, or when the page has nothing better to do.

import { Cell } from "../cell.js";
import { SnippetStore } from "../storage.js";
import { startPython } from "./common.js";

/** How far outside the viewport a cell gets its editor before it scrolls into view. */
const NEAR = "50% 0px";
/** The other editors are built once Python is ready, or this long after the page opened. */
const LATEST_MS = 15_000;

const host = startPython();
const edits = new SnippetStore("lesson"); // the learner's edits survive a reload
const playgroundURL = new URL("playground.html", document.baseURI).pathname;

const cells = [...document.querySelectorAll(".cell[data-cell-id]")].map((root) => new Cell(root, {
  host,
  cellId: root.dataset.cellId,
  originalCode: root.querySelector(".cell-source").textContent,
  playgroundURL,
  store: edits,
  lazy: true,
}));
globalThis.labCells = cells;

// The cells in view now, in document order (they stop at the first one below the fold).
// All are measured before any is built, so the layout is computed once.
const inView = [];
for (const cell of cells) {
  const { top, bottom } = cell.root.getBoundingClientRect();
  if (top >= innerHeight) break;
  if (bottom > 0) inView.push(cell);
}
for (const cell of inView) cell.mount();

const byRoot = new Map(cells.map((cell) => [cell.root, cell]));
const near = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    near.unobserve(entry.target);
    byRoot.get(entry.target).mount();
  }
}, { rootMargin: NEAR });
for (const cell of cells) if (!cell.mounted) near.observe(cell.root);

// The rest once Python has started (it needs the processor more, meanwhile), one after
// another in idle time, so that a keystroke never waits for more than one.
const whenIdle = globalThis.requestIdleCallback ?? ((work) => setTimeout(() => work({ timeRemaining: () => 0 }), 50));
function mountWhileIdle(deadline) {
  for (const cell of cells) {
    if (cell.mounted) continue;
    near.unobserve(cell.root);
    cell.mount();
    if (deadline.timeRemaining() < 20) break;
  }
  if (cells.some((cell) => !cell.mounted)) whenIdle(mountWhileIdle);
  else near.disconnect();
}
function mountTheRest() {
  host.removeEventListener("status", whenStarted);
  clearTimeout(timer);
  whenIdle(mountWhileIdle);
}
const whenStarted = ({ detail: { phase } }) => ["ready", "error"].includes(phase) && mountTheRest();
const timer = setTimeout(mountTheRest, LATEST_MS);
if (["ready", "error"].includes(host.phase)) mountTheRest();
else host.addEventListener("status", whenStarted);
