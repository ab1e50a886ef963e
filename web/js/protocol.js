// The one vocabulary of messages between Python, the worker and the page.  An event has
// ONE name from end to end: Python's lab_runner emits it under that name, the worker posts
// it under that name, and the page handles it in a method of that name (the host's run
// handlers, OutputView's methods: stream, figure, display, input, verdict).
//
// Every message is a plain object { type, runId, ...fields }.  runId is the number the
// page gave a run when it asked for it; messages about the worker as a whole (start-up,
// fatal errors) carry runId 0.  The page ignores messages whose runId is not the run it
// is waiting for, so output from a stopped or restarted run never lands in a cell.
//
// ---------------------------------------------------------------- Python → worker
// During a run, py_src/lab_runner calls emit(event) with ONE dict {"type": name, **fields}.
// The worker converts it (toJs, dicts to objects), adds runId and posts it unchanged
// (a figure's png bytes are transferred, not copied).  A Python None arrives as undefined.
//   stream  { name: "stdout" | "stderr", text }  Printed text, in batches (lab_runner.streams).
//   figure  { png (PNG bytes; an ArrayBuffer-backed Uint8Array on the page), alt, width, height }
//   display { mime, data }      Rich output drawn by the renderer registered for mime
//                               (web/js/renderers.js); data is text (usually JSON).
//   input   { prompt }          input() is waiting (its prompt is already in stdout).  Not
//                               posted as is: the worker blocks until the page answers
//                               through stdinBuffer (see writeStdin), and emit returns the
//                               answer (None when the page cancelled the wait: Stop).
//   verdict { exercise, status: "passed" | "not-yet", message, mistake: str | None,
//             details: [str], revealed? }  The one verdict of a checked exercise
//                               (run.check; issue 13, which lab_runner's checks bring).
//
// ---------------------------------------------------------------- page → worker
//   init   { runId: 0, interruptBuffer?: Int32Array(SAB), stdinBuffer?: Int32Array(SAB),
//            packages?: string[] }
//          Sent once, right after the worker is created.  The buffers exist only when
//          the page is cross-origin isolated (SharedArrayBuffer available).  packages:
//          what the previous worker had loaded (after a restart), loaded again once
//          Python is ready, so the next Run is as quick as before.
//   run    { runId, cellId, code, check? }
//          Run code as cell cellId (tracebacks name it "<cellId>.py").  Runs are queued.
//          check (issue 13): { exercise, source }, the exercise's check, which
//          lab_runner.run_cell runs after the code on its variables (one verdict event).
//   cancel { runId }                 Stop pressed before the run's code started: a run
//                                    still queued is dropped (the worker sends nothing for
//                                    it); one loading its packages ends, once they are
//                                    loaded, with done "stopped" without running.
//   reset  { runId: 0, cellId }      Forget a cell's variables.
//
// ---------------------------------------------------------------- worker → page
// The events above (stream, figure, display, input, verdict), and the worker's own:
//   status { runId, phase, detail }  runId 0, about the worker: phase "loading" | "ready".
//                                    "ready" also has started { snapshot, installedFiles }:
//                                    whether Python started from a kept interpreter
//                                    snapshot and put back kept installed files (the
//                                    second visit's shortcuts, see web/js/worker/).
//                                    And interrupt, input (booleans): whether the worker
//                                    could use the buffers init sent (false: Stop
//                                    restarts, input() is unavailable).
//                                    A run's own: "started" (first, when the worker takes
//                                    it from the queue), "installing" (packages), "running".
//   done   { runId, status: "ok" | "error" | "stopped", errorType, packages }
//          errorType: the error's name as the learner reads it (null unless "error"; an
//          error's traceback has already arrived as stderr text).  packages: every package
//          loaded in the worker so far (the host hands them to a restarted worker).
//   fatal  { runId, message }        The interpreter cannot go on; the page restarts it.
//   settled { runId: 0, downloads, snapshotWanted }  The worker's background work after
//          ready is over (the prefetch, the installed files kept).  downloads: the Cache
//          Storage cache holding what it downloaded this visit (kept-downloads.js; null
//          when none), for the offline copy.  snapshotWanted: Python did not start from a
//          snapshot, so the page has one made (interpreter-snapshot.js), once it is idle.
//
// Stop: when isolated, the page writes the run's id into interruptBuffer[SLOT_STOP_RUN],
// then INTERRUPT_SIGINT into [SLOT_SIGNAL], and Python raises KeyboardInterrupt in that
// run's code (done: "stopped", variables kept); otherwise, or when Python does not react
// (C code that never checks), the page terminates the worker and starts a new one.
// Output so far: while a run is running, an isolated page writes INTERRUPT_FLUSH into
// [SLOT_SIGNAL] every FLUSH_EVERY_MS, only where it holds 0 (Atomics.compareExchange:
// never over a Stop).  Pyodide raises the signal whose number it reads there (checking
// every 50 ticks of the interpreter's eval breaker), and lab_runner's handler for it
// sends the text printed so far (lab_runner.streams.FLUSH_SIGNAL).
// Pyodide does not read that slot itself: it reads what the worker gives it
// (python-worker.js, signalsFor), which takes the signal out atomically and hands a
// SIGINT only to the run it is for (see there why).
//
// interruptBuffer layout (Int32Array over a SharedArrayBuffer of INTERRUPT_SLOTS ints):
//   [SLOT_SIGNAL]    the signal for Python: 0, INTERRUPT_SIGINT or INTERRUPT_FLUSH;
//   [SLOT_STOP_RUN]  the run a SIGINT is for (written by the page before the SIGINT);
//   [SLOT_TAKEN_RUN] the last run the worker took from its queue (written by the worker);
//   [SLOT_CANCELLED + runId % CANCEL_RING] a run the page dropped before it started.
// A run still queued is dropped by the page at once only when the worker has not taken
// it yet: the page writes the run into the cancel ring, then reads SLOT_TAKEN_RUN; the
// worker writes SLOT_TAKEN_RUN, then reads the ring (both with Atomics, so at least one
// of the two sees the other: a run is never both dropped by the page and run).
//
// stdinBuffer layout (Int32Array over a SharedArrayBuffer of STDIN_BYTES + 8 bytes):
//   [0] state: 0 = waiting, 1 = answer ready, 2 = cancelled;  [1] byte length;
//   bytes from offset 8: the UTF-8 answer.

export const MSG = Object.freeze({
  INIT: "init",
  RUN: "run",
  CANCEL: "cancel",
  RESET: "reset",
  STATUS: "status",
  STREAM: "stream",
  FIGURE: "figure",
  DISPLAY: "display",
  INPUT: "input",
  VERDICT: "verdict",
  DONE: "done",
  FATAL: "fatal",
  SETTLED: "settled",
});

/** What a run produces for its cell, passed on by the host to the handler of that name. */
export const RUN_OUTPUT = Object.freeze([MSG.STREAM, MSG.FIGURE, MSG.DISPLAY, MSG.VERDICT]);

export const NO_RUN = 0;
export const INTERRUPT_SIGINT = 2;
export const INTERRUPT_FLUSH = 10; // SIGUSR1 in Pyodide's (Linux's) numbering
export const SLOT_SIGNAL = 0;
export const SLOT_STOP_RUN = 1;
export const SLOT_TAKEN_RUN = 2;
export const SLOT_CANCELLED = 3;
export const CANCEL_RING = 8;
export const INTERRUPT_SLOTS = SLOT_CANCELLED + CANCEL_RING;
export const FLUSH_EVERY_MS = 50;
export const STDIN_BYTES = 64 * 1024;
export const STDIN_WAITING = 0;
export const STDIN_READY = 1;
export const STDIN_CANCELLED = 2;

/** Write an answer for input() into the shared stdin buffer and wake the worker. */
export function writeStdin(stdinBuffer, text) {
  const bytes = new TextEncoder().encode(text).slice(0, STDIN_BYTES);
  new Uint8Array(stdinBuffer.buffer, 8, STDIN_BYTES).set(bytes);
  Atomics.store(stdinBuffer, 1, bytes.length);
  Atomics.store(stdinBuffer, 0, STDIN_READY);
  Atomics.notify(stdinBuffer, 0);
}

/** Wake a worker waiting in input() without an answer (Stop). */
export function cancelStdin(stdinBuffer) {
  Atomics.store(stdinBuffer, 0, STDIN_CANCELLED);
  Atomics.notify(stdinBuffer, 0);
}

/** Read the answer the page wrote (worker side); null when the wait was cancelled. */
export function readStdin(stdinBuffer) {
  const state = Atomics.load(stdinBuffer, 0);
  Atomics.store(stdinBuffer, 0, STDIN_WAITING);
  if (state !== STDIN_READY) return null;
  const length = Atomics.load(stdinBuffer, 1);
  const bytes = new Uint8Array(stdinBuffer.buffer, 8, length).slice();
  return new TextDecoder().decode(bytes);
}
