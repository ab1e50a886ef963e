// The worker host: owns the Python worker, queues runs, routes each message to the run it
// belongs to, and restarts the worker when it dies.  One host serves every cell of a page.

import {
  INTERRUPT_SIGINT,
  MSG,
  NO_RUN,
  STDIN_BYTES,
  cancelStdin,
  writeStdin,
} from "./protocol.js";

/**
 * Events (EventTarget): "status" with detail { phase, detail } for the page's status line:
 * phase is "loading" | "ready" | "installing" | "running" | "error" | "restarting".
 */
export class PythonHost extends EventTarget {
  constructor(workerURL) {
    super();
    this.workerURL = workerURL;
    this.isolated = globalThis.crossOriginIsolated === true;
    this.nextRunId = 1;
    this.runs = new Map(); // runId → { handlers, resolve }
    this.phase = "loading";
    this.start();
  }

  start() {
    this.interruptBuffer = this.isolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
    this.stdinBuffer = this.isolated ? new Int32Array(new SharedArrayBuffer(STDIN_BYTES + 8)) : null;
    this.worker = new Worker(this.workerURL, { type: "module", name: "python" });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(`The Python worker failed: ${event.message || "unknown error"}`);
    };
    this.worker.postMessage({
      type: MSG.INIT,
      runId: NO_RUN,
      interruptBuffer: this.interruptBuffer,
      stdinBuffer: this.stdinBuffer,
    });
    this.setPhase("loading", "Starting Python");
  }

  setPhase(phase, detail = "") {
    this.phase = phase;
    this.dispatchEvent(new CustomEvent("status", { detail: { phase, detail } }));
  }

  get ready() {
    return this.phase === "ready";
  }

  /**
   * Run code as cell cellId.  handlers: { stream(name, text), figure(png, alt, w, h),
   * display(mime, data), input(prompt) → Promise<string>, status(phase, detail) }.  Resolves with the done
   * message ({ status, errorType, traceback, seconds }).
   */
  run(cellId, code, handlers = {}) {
    const runId = this.nextRunId++;
    return new Promise((resolve) => {
      this.runs.set(runId, { handlers, resolve, cellId });
      this.worker.postMessage({ type: MSG.RUN, runId, cellId, code });
    });
  }

  reset(cellId) {
    this.worker.postMessage({ type: MSG.RESET, runId: NO_RUN, cellId });
  }

  /** Answer an input() request of a run. */
  answerInput(text) {
    if (this.stdinBuffer) writeStdin(this.stdinBuffer, text);
  }

  /**
   * Stop the running code.  Isolated pages interrupt it (KeyboardInterrupt: variables
   * kept); otherwise the worker is terminated and started again.
   */
  stop() {
    if (this.runs.size === 0) return "idle";
    if (this.interruptBuffer && this.ready) {
      this.interruptBuffer[0] = INTERRUPT_SIGINT;
      if (this.stdinBuffer) cancelStdin(this.stdinBuffer);
      return "interrupted";
    }
    this.restart("stopped");
    return "restarted";
  }

  /** Terminate the worker, settle every pending run with `status`, start a fresh one. */
  restart(status = "restarted", message = "") {
    this.worker.terminate();
    for (const [runId, run] of this.runs) {
      this.runs.delete(runId);
      run.resolve({ status, errorType: null, traceback: null, seconds: 0, message, restarted: true });
    }
    this.setPhase("restarting", message || "Restarting Python");
    this.start();
  }

  fail(message) {
    this.restart("crashed", message);
  }

  receive(message) {
    const run = this.runs.get(message.runId);
    switch (message.type) {
      case MSG.STATUS:
        if (message.runId === NO_RUN) {
          this.setPhase(message.phase, message.detail);
        } else {
          run?.handlers.status?.(message.phase, message.detail);
        }
        break;
      case MSG.STREAM:
        run?.handlers.stream?.(message.name, message.text);
        break;
      case MSG.FIGURE:
        run?.handlers.figure?.(message.png, message.alt, message.width, message.height);
        break;
      case MSG.DISPLAY:
        run?.handlers.display?.(message.mime, message.data);
        break;
      case MSG.INPUT:
        if (run?.handlers.input) {
          run.handlers.input(message.prompt).then((text) => this.answerInput(text));
        }
        break;
      case MSG.DONE:
        if (run) {
          this.runs.delete(message.runId);
          run.resolve(message);
        }
        break;
      case MSG.FATAL:
        if (this.phase === "loading" && message.runId === NO_RUN) {
          this.setPhase("error", message.message);
          for (const [runId, pending] of this.runs) {
            this.runs.delete(runId);
            pending.resolve({ status: "crashed", message: message.message, seconds: 0 });
          }
        } else {
          this.fail(message.message);
        }
        break;
      default:
        console.warn("python host: unknown message", message);
    }
  }
}
