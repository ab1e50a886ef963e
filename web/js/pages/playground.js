// The full editor: one big cell, side by side with its output, opened with the code the
// learner had (carried in the URL fragment from the lesson, or from a shared link), else
// with what they left here last time.  The code is shown, never run, until Run is pressed.
//
// Work is kept per slot (workspace.js): a slot per lesson snippet, one for code from links
// and files.  The address bar always holds a link to the code in the editor, so a reload
// shows exactly what was there; code arriving from a new link never silently replaces
// saved work (the old code is kept, and a notice offers to bring it back).

import { Cell, LEAVE_KEYS, RUN_SHORTCUT, loadEditor } from "../cell.js";
import { MOD_KEY, button } from "../controls.js";
import { ExamplesMenu, addSectionTitles, loadCatalog, pageOf, snippetHref, snippetTitle } from "../examples.js";
import { Exercise } from "../exercise.js";
import { downloadText, pyFileName, readCodeFile } from "../files.js";
import { Notices } from "../notices.js";
import { ExerciseProgress } from "../progress.js";
import { decodeCode, encodeCode, fragmentParam, shareLink } from "../share.js";
import { Splitter } from "../splitter.js";
import { PROBLEM_TEXT, SafeStorage, SnippetStore } from "../storage.js";
import { SCRATCH, Workspace, slotId } from "../workspace.js";
import { startPython } from "./common.js";

/** Beyond this, the address bar keeps only which slot is open, not the code itself. */
const MAX_FRAGMENT_CHARS = 30_000;
/** Links longer than this get a warning: some chat apps and e-mail clients cut them. */
const LONG_LINK_CHARS = 2_000;

const host = startPython();
const root = document.querySelector(".playground .cell[data-cell-id]");
const shippedMain = root.querySelector(".cell-source").textContent;
const notices = new Notices(document.getElementById("playground-notices"));
const docTitle = document.getElementById("doc-title");
const storage = new SafeStorage();
const [catalog] = await Promise.all([loadCatalog(new URL("snippets.json", document.baseURI)), loadEditor()]);
const workspace = new Workspace({
  store: new SnippetStore("playground", storage),
  catalog,
  fallback: { id: "main", code: shippedMain },
});

/** The slot whose code is in the editor. */
let slot = null;
/** The code the address bar carries (null when it carries only the slot). */
let addressCode = null;

const cell = new Cell(root, {
  host,
  cellId: "playground",
  originalCode: shippedMain,
  label: `Python code editor, ${RUN_SHORTCUT} runs it. ${LEAVE_KEYS}`,
  onChange: (code) => {
    if (!slot) return;
    workspace.save(slot, code, addressCode);
    scheduleAddress();
    describe();
  },
  onReset: () => {
    workspace.rebase(slot, cell.code);
    notices.hide("updated");
    describe();
  },
});
cell.resetButton.title = "Put back the original code of this snippet";

// ------------------------------------------------------------------ layout and toolbar

const editorPane = root.querySelector(".cell-editor");
editorPane.id = "playground-editor";
root.prepend(cell.toolbar); // toolbar first: it comes first for keyboard users too
const handle = document.createElement("div");
handle.className = "splitter";
editorPane.after(handle);
new Splitter({ container: root, handle, controls: editorPane.id, storage });

const clearButton = button("clear", "Clear output", "Empty the output pane");
clearButton.addEventListener("click", () => cell.clearOutput());
cell.resetButton.after(clearButton);

const actions = document.getElementById("doc-actions");
const menu = new ExamplesMenu(actions, { onPick: pick, onOpen: () => renderMenu() });
const openButton = button("open-file", "Open .py…", "Open a Python file from your computer");
const fileInput = document.createElement("input");
fileInput.type = "file";
fileInput.accept = ".py,.pyw,.txt,text/x-python,text/plain";
fileInput.hidden = true;
fileInput.setAttribute("aria-label", "Python file to open");
const downloadButton = button("download", "Download .py", `Save the code as a .py file (${MOD_KEY}+S)`);
const shareButton = button("share", "Share link", "Copy a link that opens this code");
actions.append(openButton, fileInput, downloadButton, shareButton);

// ------------------------------------------------------------------ what is open

function titleOf(id) {
  if (id === SCRATCH) {
    const name = workspace.load(SCRATCH)?.name;
    return name ? name : "code from a link";
  }
  return snippetTitle(catalog, id);
}

/** The line above the editor: what is open, and whether the learner's edits are kept. */
function describe() {
  const parts = [];
  if (slot === SCRATCH) {
    const name = workspace.load(SCRATCH)?.name;
    parts.push(document.createTextNode(name ? `File ${name}` : "Code from a shared link"));
  } else {
    parts.push(document.createTextNode(`Snippet “${titleOf(slot)}”`));
    const page = pageOf(catalog, slot);
    if (page?.name) {
      const link = document.createElement("a");
      link.href = snippetHref(catalog, slot);
      link.textContent = page.title;
      link.title = "Read about it in the lesson";
      parts.push(document.createTextNode(" from "), link);
    }
  }
  const state = document.createElement("span");
  state.className = "doc-state";
  if (!storage.persistent) state.textContent = "not saved: this browser's storage is unavailable";
  else if (slot === SCRATCH || workspace.isEdited(slot)) state.textContent = "your edits are saved in this browser";
  else state.textContent = "as in the lesson";
  parts.push(document.createTextNode(" · "), state);
  const hadFocus = docTitle.contains(document.activeElement);
  docTitle.replaceChildren(...parts);
  if (hadFocus) docTitle.querySelector("a")?.focus(); // redrawn under the learner's focus
}

function renderMenu() {
  const scratch = workspace.load(SCRATCH) ? { title: titleOf(SCRATCH) } : null;
  menu.render(catalog, { current: slot, edited: workspace.editedSnippets(), scratch });
}

/**
 * The address bar holds a link to the code in the editor, so that copying it shares the
 * code and a reload shows it again.  It follows the typing a few hundred milliseconds
 * behind (browsers limit how often a page may rewrite its address); the slot remembers
 * which code the address carries, so reloading a lagging address is no "new" code.
 * (Not on "pagehide": a reload has already picked its address by then.)
 */
let addressTimer = 0;
function writeAddress() {
  clearTimeout(addressTimer);
  const code = cell.code;
  const parts = slot === SCRATCH ? [] : [`from=${slot}`];
  const carried = encodeCode(code);
  const carries = carried.length <= MAX_FRAGMENT_CHARS;
  if (carries) parts.push(carried);
  try {
    history.replaceState(history.state, "", `#${parts.join("&")}`);
    addressCode = carries ? code : null;
  } catch {
    addressCode = null; // a browser refusing a long address: the code is still saved
  }
  if (workspace.load(slot)) workspace.save(slot, code, addressCode);
}
function scheduleAddress() {
  clearTimeout(addressTimer);
  addressTimer = setTimeout(writeAddress, 300);
}

function timeAgo(then) {
  if (!then) return "";
  const seconds = Math.round((then - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of [["day", 86400], ["hour", 3600], ["minute", 60]]) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

/** While a slot keeps replaced code, say so and offer to swap it back in. */
function offerPrevious() {
  const previous = workspace.load(slot)?.previous;
  if (!previous) {
    notices.hide("previous");
    return;
  }
  const saved = previous.savedAt ? ` (last saved ${timeAgo(previous.savedAt)})` : "";
  const text = previous.older !== false
    ? `This code replaced the code you had here before${saved}. Your earlier code is kept.`
    : "Your earlier code is back. The code that replaced it is kept too.";
  notices.show("previous", text, {
    kind: "warning",
    actions: [{
      label: previous.older !== false ? "Bring back my earlier code" : "Show the newer code again",
      className: "swap-previous",
      run: () => {
        cell.editor.setCode(workspace.swapPrevious(slot)); // an edit: Ctrl+Z undoes it
        cell.clearOutput();
        offerPrevious();
        describe();
      },
    }],
    dismissLabel: "Forget the other version",
    onDismiss: () => workspace.dismissPrevious(slot),
  });
}

/** Put a slot in the editor: its saved code, else the shipped snippet. */
function show(next) {
  slot = next;
  workspace.current = next;
  cell.setCellId(next === SCRATCH ? "playground" : `playground-${next}`);
  cell.originalCode = workspace.resetTarget(next);
  cell.loadCode(workspace.codeFor(next) ?? "");
  cell.clearOutput();
  cell.setNote("");
  notices.hide("updated");
  if (workspace.isOutdated(next)) {
    notices.show("updated", "The lesson's version of this snippet was updated since you edited it " +
      "here. Your version is shown; Reset loads the new one.", { kind: "info" });
  }
  offerPrevious();
  openExercise(next);
  writeAddress();
  describe();
  renderMenu();
}

// ------------------------------------------------------------------ exercises

const progress = new ExerciseProgress(storage);
const exerciseBox = document.createElement("section");
exerciseBox.className = "exercise-box";
exerciseBox.setAttribute("aria-label", "Exercise");
exerciseBox.hidden = true;
document.getElementById("playground-notices").after(exerciseBox);
/** The exercise open in the editor (its check runs with every Run), or null. */
let exercise = null;

/** An exercise's snippet (exercise-ID) opens with its check, hints and verdict, as in the lesson. */
function openExercise(next) {
  exercise?.detach();
  exercise = null;
  const id = catalog.snippets[next]?.exercise;
  const data = id ? catalog.exercises[id] : null;
  exerciseBox.hidden = !data;
  if (!data) return;
  exercise = new Exercise(cell, { id, data, starter: data.starter, progress });
  exercise.placeButtons();
  exerciseBox.replaceChildren(exercise.head, exercise.panel);
}

/** Open what the URL fragment asks for: code from a link, a slot, or where the learner left. */
function openFragment(fragment) {
  let incoming = null;
  let problem = null;
  try {
    incoming = decodeCode(fragment);
  } catch (error) {
    problem = error.message;
  }
  const from = slotId(fragmentParam(fragment, "from"));
  notices.hideAllBut("storage");
  if (incoming !== null) {
    const target = from ?? SCRATCH;
    workspace.arrive(target, incoming);
    show(target);
    return;
  }
  let target = from ?? workspace.current ?? "main";
  if (workspace.codeFor(target) === null) target = "main";
  show(target);
  if (problem) {
    const shown = target === SCRATCH || workspace.isEdited(target)
      ? `your saved code (“${titleOf(target)}”)`
      : `the lesson's snippet “${titleOf(target)}”`;
    notices.show("link", `${problem} It cannot be opened: ask for the link again. ` +
      `The editor shows ${shown} instead.`, { kind: "error" });
  }
}

// ------------------------------------------------------------------ actions

/** The examples menu: the learner's edits of the snippet they leave stay in its slot. */
function pick(id) {
  if (id === slot) {
    notices.show("examples", `“${titleOf(id)}” is already in the editor. Reset brings back its original code.`);
    cell.editor.focus();
    return;
  }
  const leaving = slot;
  const kept = leaving === SCRATCH || workspace.isEdited(leaving);
  notices.hideAllBut("storage");
  show(id);
  notices.show("examples", kept
    ? `Loaded “${titleOf(id)}”. Your code in “${titleOf(leaving)}” is kept: pick it under Load example to return to it.`
    : `Loaded “${titleOf(id)}”.`, { kind: "success" });
  cell.editor.focus();
}

function download() {
  const record = workspace.load(slot);
  const name = record?.name ?? (slot === SCRATCH ? "playground" : slot);
  downloadText(pyFileName(name), cell.code);
}

async function openFile() {
  const file = fileInput.files[0];
  fileInput.value = ""; // so that picking the same file again still fires "change"
  if (!file) return;
  let code;
  try {
    code = await readCodeFile(file);
  } catch (error) {
    notices.show("file", error.message, { kind: "error" });
    return;
  }
  const leaving = slot;
  const kept = leaving !== SCRATCH && workspace.isEdited(leaving);
  workspace.arrive(SCRATCH, code, { name: file.name });
  notices.hideAllBut("storage");
  show(SCRATCH);
  notices.show("file", kept
    ? `Opened ${file.name}. Your edits of “${titleOf(leaving)}” are kept: pick it under Load example to return to them.`
    : `Opened ${file.name}.`, { kind: "success" });
  cell.editor.focus();
}

let shareLabelTimer = 0;
async function share() {
  const url = shareLink(cell.code, location.href);
  let copied = false;
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(url);
      copied = true;
    }
  } catch {
    copied = false; // not allowed here (an insecure page, a denied permission)
  }
  const field = document.createElement("input");
  field.type = "text";
  field.readOnly = true;
  field.className = "share-link";
  field.value = url;
  field.setAttribute("aria-label", "Link to this code");
  field.addEventListener("focus", () => field.select());
  const long = url.length > LONG_LINK_CHARS
    ? ` This link is long (${url.length.toLocaleString("en")} characters): some chat apps cut long links, so Download .py may be safer.`
    : "";
  const text = copied
    ? `Link copied. Whoever opens it sees this code; nothing runs until they press Run.${long}`
    : `Copy this link with ${MOD_KEY}+C (it is selected): this browser did not let the page copy it.${long}`;
  notices.show("share", text, { kind: copied ? "success" : "info", extra: field });
  if (!copied) {
    field.focus();
    field.select();
  }
  shareButton.textContent = copied ? "Link copied ✓" : "Share link";
  clearTimeout(shareLabelTimer);
  shareLabelTimer = setTimeout(() => (shareButton.textContent = "Share link"), 2500);
}

openButton.addEventListener("click", () => fileInput.click());
fileInput.addEventListener("change", openFile);
downloadButton.addEventListener("click", download);
shareButton.addEventListener("click", share);
document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "s") {
    event.preventDefault(); // the browser's "save page" is never what a learner wants here
    download();
  }
});
// A link pasted into this tab.  event.newURL, not location: a pending address update may
// already have rewritten the address before this event is handled.
addEventListener("hashchange", (event) => openFragment(new URL(event.newURL).hash));

storage.onProblem((problem) => {
  notices.show("storage", `${PROBLEM_TEXT[problem]} Download .py keeps a copy.`, { kind: "warning" });
  if (slot) describe();
});

openFragment(location.hash);
cell.editor.focus();
// Snippets are named after their lesson sections once the pages have been read.
addSectionTitles(catalog, document.baseURI).then(() => {
  describe();
  renderMenu();
  document.body.dataset.sections = "ready";
});
globalThis.labCells = [cell];
globalThis.labExercise = () => exercise;
document.body.dataset.playground = "ready";
