// Page wiring for lesson pages: every <section class="cell"> becomes a runnable cell,
// all sharing one Python worker.

import { Cell } from "../cell.js";
import { SnippetStore } from "../storage.js";
import { startPython } from "./common.js";

const host = startPython();
const cells = [];
const edits = new SnippetStore("lesson"); // the learner's edits survive a reload

for (const root of document.querySelectorAll(".cell[data-cell-id]")) {
  const originalCode = root.querySelector(".cell-source").textContent;
  cells.push(
    new Cell(root, {
      host,
      cellId: root.dataset.cellId,
      originalCode,
      playgroundURL: new URL("playground.html", document.baseURI).pathname,
      store: edits,
    }),
  );
}

globalThis.labCells = cells;
