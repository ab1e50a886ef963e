// Page wiring for lesson pages: every <section class="cell"> becomes a runnable cell,
// all sharing one Python worker.

import { Cell } from "../cell.js";
import { startPython } from "./common.js";

const host = startPython();
const cells = [];

for (const root of document.querySelectorAll(".cell[data-cell-id]")) {
  const originalCode = root.querySelector(".cell-source").textContent;
  cells.push(
    new Cell(root, {
      host,
      cellId: root.dataset.cellId,
      originalCode,
      playgroundURL: new URL("playground.html", document.baseURI).pathname,
    }),
  );
}

globalThis.labCells = cells;
