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
/** The other editors are built from this long after Python is ready (or failed to load)... */
const AFTER_READY_MS = 2000;
/** ...or after this long in any case, and not while code runs: then they wait this long. */
const LATEST_MS = 20_000;
const BUSY_RETRY_MS = 500;

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

// The rest in the background: once Python is ready (it needs the processor more until
// then) and a moment later (a Run pressed at once has the page to itself), one editor
// per idle moment (a keystroke never waits for more than one), never during a run.
const whenIdle = globalThis.requestIdleCallback ?? ((work) => setTimeout(() => work({ timeRemaining: () => 0 }), 50));
function mountWhileIdle(deadline) {
  if (host.busy) {
    setTimeout(() => whenIdle(mountWhileIdle), BUSY_RETRY_MS);
    return;
  }
  for (const cell of cells) {
    if (cell.mounted) continue;
    near.unobserve(cell.root);
    cell.mount();
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
