// A code cell: an editor, its buttons, its output, and the runs it asks the host for.
// Lesson pages have several cells sharing one PythonHost; the full editor has one.

import { createEditor } from "./editor.js";
import { OutputView } from "./output.js";
import { encodeCode } from "./share.js";

const isMac = /Mac|iPhone|iPad/.test(globalThis.navigator?.platform ?? "");
export const RUN_SHORTCUT = isMac ? "⌘+Enter" : "Ctrl+Enter";

function button(className, text, title) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = text;
  if (title) element.title = title;
  return element;
}

function formatSeconds(seconds) {
  return seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1);
}

export class Cell {
  /**
   * root: the cell's element; it holds a <pre class="cell-source"> with the shipped code
   * and receives the editor, the toolbar and the output.  options: { host, cellId,
   * originalCode, code, playgroundURL, label, onChange(code) }.
   */
  constructor(root, { host, cellId, originalCode, code = originalCode, playgroundURL, label, onChange }) {
    this.root = root;
    this.host = host;
    this.cellId = cellId;
    root.dataset.cellId = cellId;
    this.originalCode = originalCode;
    this.running = false;

    const editorHost = root.querySelector(".cell-editor") ?? root;
    editorHost.replaceChildren();
    this.editor = createEditor({
      parent: editorHost,
      code,
      label: label ?? `Python code, ${RUN_SHORTCUT} runs it`,
      onRun: () => this.run(),
      onChange,
    });

    this.toolbar = root.querySelector(".cell-toolbar") ?? document.createElement("div");
    this.toolbar.className = "cell-toolbar";
    this.runButton = button("run", "Run", `Run the code (${RUN_SHORTCUT})`);
    this.stopButton = button("stop", "Stop", "Stop the running code (Esc)");
    this.stopButton.hidden = true;
    this.resetButton = button("reset", "Reset", "Put back the code as it was shipped");
    this.statusLine = document.createElement("span");
    this.statusLine.className = "cell-status";
    this.statusLine.setAttribute("aria-live", "polite");
    this.toolbar.replaceChildren(this.runButton, this.stopButton, this.resetButton);
    if (playgroundURL) {
      this.openLink = document.createElement("a");
      this.openLink.className = "open-full";
      this.openLink.textContent = "Open in full editor";
      this.openLink.href = playgroundURL;
      const refresh = () => {
        this.openLink.href = `${playgroundURL}#from=${encodeURIComponent(cellId)}&${encodeCode(this.code)}`;
      };
      this.openLink.addEventListener("pointerdown", refresh);
      this.openLink.addEventListener("focus", refresh);
      this.openLink.addEventListener("click", refresh);
      this.toolbar.append(this.openLink);
    }
    this.toolbar.append(this.statusLine);
    if (!this.toolbar.isConnected) editorHost.after(this.toolbar);

    let outputElement = root.querySelector(".cell-output");
    if (!outputElement) {
      outputElement = document.createElement("div");
      outputElement.className = "cell-output";
      this.toolbar.after(outputElement);
    }
    this.output = new OutputView(outputElement);

    this.runButton.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.running) {
        event.preventDefault();
        this.stop();
      }
    });
  }

  get code() {
    return this.editor.getCode();
  }

  setStatus(text, kind = "") {
    this.statusLine.textContent = text;
    this.statusLine.dataset.kind = kind;
  }

  setRunning(running) {
    this.running = running;
    this.root.classList.toggle("is-running", running);
    this.runButton.disabled = running;
    this.stopButton.hidden = !running;
  }

  async run() {
    if (this.running) return;
    this.setRunning(true);
    this.output.clear();
    this.setStatus(this.host.ready ? "Running…" : "Waiting for Python to load…", "running");
    const started = performance.now();
    const result = await this.host.run(this.cellId, this.code, {
      stream: (name, text) => this.output.text(name, text),
      figure: (png, alt, width, height) => this.output.figure(png, alt, width, height),
      display: (mime, data) => this.output.display(mime, data),
      input: (prompt) => this.askInput(prompt),
      status: (phase, detail) => {
        if (phase === "installing") this.setStatus(detail || "Loading packages…", "running");
        else if (phase === "running") this.setStatus("Running…", "running");
      },
    });
    const seconds = (performance.now() - started) / 1000;
    this.finish(result, seconds);
  }

  finish(result, seconds) {
    this.output.draw();
    this.setRunning(false);
    switch (result.status) {
      case "ok":
        this.setStatus(`Done in ${formatSeconds(seconds)} s`, "ok");
        break;
      case "error":
        this.setStatus(`Error: ${result.errorType ?? "the code failed"}`, "error");
        break;
      case "stopped":
        this.output.notice("info", result.restarted
          ? "Stopped. Python was restarted, so variables from earlier runs are gone; Run starts afresh."
          : "Stopped (KeyboardInterrupt). Your variables are kept.");
        this.setStatus("Stopped", "stopped");
        break;
      default:
        this.output.notice("error", `${result.message || "Python stopped unexpectedly."} ` +
          "Python is being restarted; press Run to try again.");
        this.setStatus("Python crashed", "error");
    }
    this.output.draw();
  }

  stop() {
    if (!this.running) return;
    this.setStatus("Stopping…", "running");
    this.host.stop();
  }

  reset() {
    this.editor.setCode(this.originalCode);
    this.output.clear();
    this.setStatus("");
    this.host.reset(this.cellId);
  }

  /** input(): an inline text box in the output; resolves with the learner's answer. */
  askInput(prompt) {
    this.output.draw();
    return new Promise((resolve) => {
      const form = document.createElement("form");
      form.className = "out-input";
      const field = document.createElement("input");
      field.type = "text";
      field.setAttribute("aria-label", prompt || "Input for the program");
      field.autocomplete = "off";
      const submit = button("submit", "Enter");
      submit.type = "submit";
      form.append(field, submit);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const answer = field.value;
        form.replaceWith(document.createTextNode(""));
        this.output.text("stdin", `${answer}\n`);
        resolve(answer);
      });
      this.output.element.hidden = false;
      this.output.element.append(form);
      field.focus();
    });
  }
}
