// The full editor: one big cell, opened with the code the learner had in the lesson
// (carried in the URL fragment).  The code is shown, never run, until Run is pressed.

import { Cell } from "../cell.js";
import { decodeCode, fragmentParam } from "../share.js";
import { startPython } from "./common.js";

const host = startPython();
const root = document.querySelector(".cell[data-cell-id]");
const shipped = root.querySelector(".cell-source").textContent;

let code = shipped;
let problem = null;
try {
  code = decodeCode(location.hash) ?? shipped;
} catch (error) {
  problem = error.message;
}
const from = fragmentParam(location.hash, "from");
const cellId = from ? `playground-${from}` : "playground";

const cell = new Cell(root, { host, cellId, originalCode: code });
if (problem) cell.output.notice("error", problem);
cell.editor.focus();
globalThis.labCells = [cell];
