// The worker host: owns the Python worker, queues runs, routes each message to the run it
// belongs to, stops runs, and restarts the worker when it dies, hangs, or can only be
// stopped the hard way.  One host serves every cell of a page.
//
// How a run ends, whatever the learner's code does:
// - it finishes (done: "ok" or "error");
// - Stop on a run still waiting in the queue: it is dropped ("stopped", nothing lost);
// - Stop on a running run, where the page shares memory with its worker (see
//   sharedMemoryAvailable): KeyboardInterrupt through the interrupt buffer ("stopped", variables kept).  If Python does not stop within
//   STOP_GRACE_MS (compiled code that never checks, a learner's bare `except:`), the
//   worker is restarted;
// - Stop without shared memory: the worker is terminated and a new one started ("stopped",
//   restarted: variables are gone, the code in the editors is not);
// - the run takes longer than timeLimit seconds: stopped the same way, with a message;
// - the interpreter crashes (a Pyodide fatal error, the worker dies): "crashed", and a
//   new worker is started.
// - Python never gets going (the worker cannot load, a start that stalls for
//   startStallMs): phase "error" with the reason, and the page offers Retry (a stalled
//   start is left to go on meanwhile: if it was only slow, it still becomes ready).
// Runs that had not started when the worker was restarted are sent to the new worker.
// After a restart the new worker loads again the packages the old one had loaded.

import {
  CANCEL_RING, FLUSH_EVERY_MS, INTERRUPT_FLUSH, INTERRUPT_SIGINT, INTERRUPT_SLOTS, MSG, NO_RUN,
  RUN_OUTPUT, SLOT_CANCELLED, SLOT_SIGNAL, SLOT_STOP_RUN, SLOT_TAKEN_RUN, STDIN_BYTES,
  cancelStdin, writeStdin,
} from "./protocol.js";

/** Seconds one run may take before it is stopped (generous: learners' code takes seconds). */
export const DEFAULT_TIME_LIMIT_S = 300;
/** How long an interrupted run may take to stop before the worker is restarted. */
export const STOP_GRACE_MS = 3000;
/** How long packages may go on loading for a run that was stopped meanwhile. */
const LOADING_GRACE_MS = 20_000;
/**
 * How long a start may go without any sign of progress (a new status from the worker:
 * each start-up phase, and each megabyte or so of the packages' early download) before it
 * counts as failed.  The longest silent step is downloading the interpreter itself
 * (pyodide.asm.wasm, 3.2 MB gzipped: 50 s at 0.5 Mbit/s) or compiling it on a slow phone
 * (about 10 s); a minute covers both, and a learner told after a minute that something is
 * wrong, with a Retry, is better off than one looking at "Loading…" for good.
 */
export const START_STALL_MS = 60_000;
const STOPPED_WHILE_LOADING = "Stopped while its packages were loading: the code did not run.";

/**
 * Can the page share memory with its worker, for Stop by KeyboardInterrupt and for
 * input()?  Asked of what the browser has, not of `crossOriginIsolated` alone: WebKitGTK
 * 2.50 reports an isolated page yet has no SharedArrayBuffer.  (Whether the worker may
 * block in Atomics.wait, only the worker can tell: it says so when ready.)
 */
export function sharedMemoryAvailable() {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function" &&
    typeof Atomics === "object" && typeof Atomics.wait === "function";
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Events (EventTarget): "status" with detail { phase, detail } for the page's status line:
 * phase is "loading" | "ready" | "installing" | "running" | "error" | "restarting".
 * "settled" with the worker's settled message (protocol.js): its background work is over.
 */
export class PythonHost extends EventTarget {
  /**
   * options: { timeLimit (seconds, 0 = none), startStallMs (see START_STALL_MS), start
   * (false: call start() yourself, e.g. after deciding the page will not reload first) }.
   */
  constructor(workerURL, { timeLimit = DEFAULT_TIME_LIMIT_S, startStallMs = START_STALL_MS, start = true } = {}) {
    super();
    this.workerURL = workerURL;
    this.sharedMemory = sharedMemoryAvailable();
    this.timeLimit = timeLimit;
    this.startStallMs = startStallMs;
    this.stallTimer = 0;
    this.nextRunId = 1;
    this.runs = new Map(); // runId → run record, in the order the runs were asked for
    this.packages = []; // what the worker has loaded: loaded again after a restart
    this.worker = null;
    this.phase = "loading";
    this.everReady = false; // has the current worker ever become ready?
    this.flushTimer = 0; // asks a running run for its output (askForOutput)
    if (start) this.start();
  }

  /** Create the worker (again); runs already asked for are sent to it. */
  start(detail = "Starting Python") {
    if (this.worker) return;
    this.everReady = false;
    this.setPhase("loading", detail);
    this.armStall(detail);
    let worker;
    try {
      worker = new Worker(this.workerURL, { type: "module", name: "python" });
    } catch (error) {
      this.workerFailed(`The Python worker could not be created (${error.message ?? error}).`);
      return;
    }
    this.worker = worker;
    worker.onmessage = ({ data }) => {
      if (worker === this.worker) this.receive(data);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (worker === this.worker) this.workerFailed(`The Python worker failed: ${event.message || "it could not be loaded"}.`);
    };
    this.sendInit(worker);
    for (const run of this.runs.values()) this.send(run);
  }

  /**
   * The worker's init, with the shared buffers for Stop and input() when this page can
   * share memory; if the browser still refuses to send them, without (Stop restarts).
   */
  sendInit(worker) {
    const init = { type: MSG.INIT, runId: NO_RUN, packages: this.packages };
    if (this.sharedMemory) {
      try {
        this.interruptBuffer = new Int32Array(new SharedArrayBuffer(INTERRUPT_SLOTS * 4));
        this.stdinBuffer = new Int32Array(new SharedArrayBuffer(STDIN_BYTES + 8));
        worker.postMessage({ ...init, interruptBuffer: this.interruptBuffer, stdinBuffer: this.stdinBuffer });
        return;
      } catch (error) {
        console.warn("python host: no shared memory with the worker; Stop will restart Python", error);
        this.sharedMemory = false;
      }
    }
    this.interruptBuffer = this.stdinBuffer = null;
    worker.postMessage({ ...init, interruptBuffer: null, stdinBuffer: null });
  }

  /** (Re)start the count of how long this start may go on without progress. */
  armStall(detail) {
    clearTimeout(this.stallTimer);
    if (!this.startStallMs) return;
    this.stallTimer = setTimeout(() => {
      // Said as a failure, with Retry; the worker is left to go on meanwhile, so a start
      // that was only slow still becomes ready (its next status replaces this one).
      const seconds = Math.round(this.startStallMs / 1000);
      this.setPhase("error", `Python made no progress for ${seconds} s (at "${detail}"). ` +
        "The connection may be slow or broken, or the site incomplete.");
    }, this.startStallMs);
  }

  setPhase(phase, detail = "") {
    this.phase = phase;
    this.dispatchEvent(new CustomEvent("status", { detail: { phase, detail } }));
  }

  get ready() {
    return this.phase === "ready";
  }

  /** Is any run waiting or running? */
  get busy() {
    return this.runs.size > 0;
  }

  /**
   * Run code as cell cellId.  handlers, each named by the event it handles and given that
   * event's message (protocol.js): { stream, figure, display, verdict, status,
   * input → Promise<string> (the answer) }.  Resolves with the done message
   * ({ status, errorType }), or for a run that ended otherwise
   * { status: "stopped" | "crashed", restarted, message }.  options: { check } (an
   * exercise's { exercise, source }: run after the code, it sends one verdict event).
   */
  run(cellId, code, handlers = {}, { check = null } = {}) {
    const runId = this.nextRunId++;
    return new Promise((resolve) => {
      const run = {
        runId, cellId, code, check, handlers, resolve, started: false, phase: "queued", timer: 0, stopping: null,
      };
      this.runs.set(runId, run);
      if (this.phase === "error") this.retry();
      else if (this.worker) this.send(run);
    });
  }

  send(run) {
    const { runId, cellId, code, check } = run;
    this.worker.postMessage({ type: MSG.RUN, runId, cellId, code, ...(check && { check }) });
  }

  reset(cellId) {
    this.worker?.postMessage({ type: MSG.RESET, runId: NO_RUN, cellId });
  }

  /** Answer an input() request of a run. */
  answerInput(text) {
    if (this.stdinBuffer) writeStdin(this.stdinBuffer, text);
  }

  /**
   * Stop the runs of cell cellId (of every cell when it is omitted).  Returns what was
   * done: "idle" (nothing to stop), "cancelled" (only queued runs), "interrupted" or
   * "restarted".
   */
  stop(cellId = null) {
    let done = "idle";
    for (const run of [...this.runs.values()]) {
      if (!this.runs.has(run.runId) || (cellId !== null && run.cellId !== cellId)) continue;
      if (!run.started && !this.takenByWorker(run)) {
        this.cancel(run);
        if (done === "idle") done = "cancelled";
      } else if (run.phase !== "running") {
        this.cancelLoading(run);
        if (done === "idle") done = "cancelled";
      } else {
        done = this.interrupt(run, "stop");
      }
    }
    return done;
  }

  /**
   * Has the worker already taken this run from its queue, its "started" still on its way?
   * Where memory is shared, the run is first marked as dropped in the cancel ring, so a
   * worker that takes it after this look skips it (the handshake in protocol.js).  Without
   * that look, a Stop pressed a few milliseconds after Run dropped a run the worker had
   * just begun: the page said "nothing was run" while the worker ran it, for good if it
   * was a loop, with every later run queued behind it.
   */
  takenByWorker(run) {
    if (!this.interruptBuffer) return false;
    Atomics.store(this.interruptBuffer, SLOT_CANCELLED + (run.runId % CANCEL_RING), run.runId);
    return Atomics.load(this.interruptBuffer, SLOT_TAKEN_RUN) >= run.runId;
  }

  /** Drop a run still waiting in the queue: the worker skips it. */
  cancel(run) {
    this.worker?.postMessage({ type: MSG.CANCEL, runId: run.runId });
    const message = "Stopped before it started: nothing was run.";
    this.settle(run, { status: "stopped", restarted: false, message });
  }

  /**
   * Stop a run whose packages are still loading: its code will not run.  The worker says
   * so once the loading is over; if that takes too long (a stalled download), restart.
   * The page may be behind: the run may be running already, its "running" on its way,
   * and the worker then reads no message until the code ends.  So where memory is
   * shared, a KeyboardInterrupt for this run is asked for too (the worker keeps it until
   * the run's code starts; a run that ends without running drops it).
   */
  cancelLoading(run) {
    if (run.stopping) return;
    if (this.interruptBuffer) this.sendInterrupt(run);
    this.worker.postMessage({ type: MSG.CANCEL, runId: run.runId });
    clearTimeout(run.timer);
    run.stopping = {
      why: "loading",
      timer: setTimeout(() => {
        if (this.runs.has(run.runId)) this.restart("stopped", STOPPED_WHILE_LOADING);
      }, LOADING_GRACE_MS),
    };
  }

  /**
   * Stop a running run: KeyboardInterrupt when memory is shared (with a restart if
   * Python does not react in time), else a restart.  why: "stop" | "time".
   */
  interrupt(run, why) {
    if (run.stopping) return "interrupted";
    if (!this.interruptBuffer) {
      this.restart("stopped", why === "time" ? this.timeMessage(true) : "");
      return "restarted";
    }
    this.sendInterrupt(run);
    clearTimeout(run.timer);
    run.stopping = { why, timer: setTimeout(() => this.stopOverdue(run), STOP_GRACE_MS) };
    return "interrupted";
  }

  /**
   * Ask Python for a KeyboardInterrupt in run's code: the run's id first, then SIGINT, so
   * the worker, which reads them in the other order, never hands it to another run (a
   * Stop pressed as one run ends and the next starts, or a background import).
   */
  sendInterrupt(run) {
    Atomics.store(this.interruptBuffer, SLOT_STOP_RUN, run.runId);
    Atomics.store(this.interruptBuffer, SLOT_SIGNAL, INTERRUPT_SIGINT);
    if (this.stdinBuffer) cancelStdin(this.stdinBuffer);
  }

  /**
   * An interrupted run has not ended after STOP_GRACE_MS.  Python takes the SIGINT out of
   * the interrupt buffer whenever it runs a few lines: still there, Python has not run a
   * line since Stop (it is inside compiled code), so it is restarted.  Taken, Python has
   * reacted, and its "done" may only be waiting behind this timer (a page or a machine
   * busy for seconds): it gets STOP_GRACE_MS more before it is restarted (by then, the
   * learner's code went on after the KeyboardInterrupt).
   */
  stopOverdue(run) {
    if (!this.runs.has(run.runId)) return;
    const taken = Atomics.load(this.interruptBuffer, SLOT_SIGNAL) !== INTERRUPT_SIGINT;
    if (taken && !run.stopping.overdue) {
      run.stopping.overdue = true;
      run.stopping.timer = setTimeout(() => this.stopOverdue(run), STOP_GRACE_MS);
      return;
    }
    const why = taken ? "it went on after the KeyboardInterrupt" : "it was busy inside compiled code";
    const seconds = ((run.stopping.overdue ? 2 : 1) * STOP_GRACE_MS) / 1000;
    const message = run.stopping.why === "time" ? this.timeMessage(true, true)
      : `Python did not stop within ${seconds} s of Stop (${why}), so it was restarted: ` +
        "variables from earlier runs are gone.";
    this.restart("stopped", message);
  }

  /**
   * While a run is running (and not being stopped), ask Python for the text it printed so
   * far every FLUSH_EVERY_MS, so the last lines before a long computation show during it
   * (isolated pages; see protocol.js).  Ends by itself when no run is running.
   */
  askForOutput() {
    if (!this.interruptBuffer || this.flushTimer) return;
    this.flushTimer = setInterval(() => {
      const running = [...this.runs.values()].some((run) => run.phase === "running" && !run.stopping);
      if (!running || !this.interruptBuffer) {
        clearInterval(this.flushTimer);
        this.flushTimer = 0;
        return;
      }
      Atomics.compareExchange(this.interruptBuffer, SLOT_SIGNAL, 0, INTERRUPT_FLUSH);
    }, FLUSH_EVERY_MS);
  }

  timeMessage(restarted, unresponsive = false) {
    const limit = plural(this.timeLimit, "second");
    if (!restarted) {
      return `Stopped after ${limit}, the time limit for one run. Your variables are kept.`;
    }
    return `The code ran for more than ${limit} (the time limit for one run)` +
      `${unresponsive ? " and did not react to being stopped" : ""}, so Python was restarted: ` +
      "variables from earlier runs are gone. Run starts afresh.";
  }

  armTimeLimit(run) {
    clearTimeout(run.timer);
    if (this.timeLimit > 0) {
      run.timer = setTimeout(() => this.interrupt(run, "time"), this.timeLimit * 1000);
    }
  }

  /** A run is over: clear its timers, forget it, tell whoever asked for it. */
  settle(run, result) {
    clearTimeout(run.timer);
    clearTimeout(run.stopping?.timer);
    this.runs.delete(run.runId);
    run.resolve({ errorType: null, ...result });
  }

  /**
   * Terminate the worker and start a new one.  Running runs end with `status` ("stopped"
   * or "crashed") and `message`; runs still queued go to the new worker.
   */
  restart(status, message = "") {
    clearTimeout(this.stallTimer);
    this.worker?.terminate();
    this.worker = null;
    for (const run of [...this.runs.values()]) {
      if (run.started) this.settle(run, { status, restarted: true, message });
    }
    this.setPhase("restarting", status === "crashed" ? "Python crashed" : "Python was stopped");
    this.start("Restarting Python");
  }

  /** The worker died or could not start. */
  workerFailed(message) {
    if (this.everReady) {
      this.restart("crashed", message);
      return;
    }
    // It never got going (no network, a broken host): say so, and try again only when
    // the learner presses Run or Retry, so a host that cannot serve Python is not hammered.
    clearTimeout(this.stallTimer);
    this.worker?.terminate();
    this.worker = null;
    for (const run of [...this.runs.values()]) {
      this.settle(run, { status: "crashed", restarted: false, message });
    }
    this.setPhase("error", message);
  }

  /** Start again after a failed start (the Retry button, or Run pressed meanwhile). */
  retry() {
    if (this.phase !== "error") return;
    this.worker?.terminate(); // one that stalled
    this.worker = null;
    this.setPhase("restarting", "Trying to start Python again");
    this.start("Trying to start Python again");
  }

  receive(message) {
    const run = this.runs.get(message.runId);
    switch (message.type) {
      case MSG.STATUS:
        if (message.runId === NO_RUN) {
          if (message.phase === "ready") this.becameReady(message);
          else this.armStall(message.detail);
          this.setPhase(message.phase, message.detail);
        } else if (run) {
          run.started = true;
          // The limit counts package loading and running separately.
          if (run.phase !== message.phase && ["started", "running"].includes(message.phase)) {
            this.armTimeLimit(run);
          }
          run.phase = message.phase;
          if (run.phase === "running") this.askForOutput();
          run.handlers.status?.(message);
        }
        break;
      case MSG.INPUT:
        if (!run) break;
        clearTimeout(run.timer); // the learner's typing time does not count
        Promise.resolve(run.handlers.input ? run.handlers.input(message) : "").then((text) => {
          if (this.runs.get(message.runId) !== run || run.stopping) return;
          this.answerInput(text ?? "");
          this.armTimeLimit(run);
        });
        break;
      case MSG.DONE:
        if (run) {
          if (message.packages) this.packages = message.packages;
          const result = { ...message };
          if (run.stopping?.why === "time" && message.status === "stopped") {
            result.message = this.timeMessage(false);
          } else if (run.stopping?.why === "loading" && message.errorType !== "KeyboardInterrupt") {
            result.message = STOPPED_WHILE_LOADING;
          }
          this.settle(run, result);
        }
        break;
      case MSG.FATAL:
        this.workerFailed(message.message);
        break;
      case MSG.SETTLED:
        this.dispatchEvent(new CustomEvent("settled", { detail: message }));
        break;
      default:
        if (RUN_OUTPUT.includes(message.type)) run?.handlers[message.type]?.(message);
        else console.warn("python host: unknown message", message);
    }
  }

  becameReady({ started, interrupt, input }) {
    clearTimeout(this.stallTimer);
    this.everReady = true;
    this.started = started ?? null; // how this worker started (see protocol.js)
    // The worker could not use what it was sent (Atomics.wait refused, say): do without.
    if (interrupt === false) this.interruptBuffer = null;
    if (input === false) this.stdinBuffer = null;
  }
}
