// The one message protocol between the page and the Python worker.
//
// Every message is a plain object { type, runId, ... }.  runId is the number the page
// gave a run when it asked for it; messages about the worker as a whole (start-up,
// fatal errors) carry runId 0.  The page ignores messages whose runId is not the run it
// is waiting for, so output from a stopped or restarted run never lands in a cell.
//
// Page → worker
//   init   { runId: 0, interruptBuffer?: Uint8Array(SAB), stdinBuffer?: Int32Array(SAB),
//            packages?: string[] }
//          Sent once, right after the worker is created.  The buffers exist only when
//          the page is cross-origin isolated (SharedArrayBuffer available).  packages:
//          what the previous worker had loaded (after a restart), loaded again once
//          Python is ready, so the next Run is as quick as before.
//   run    { runId, cellId, code }
//          Run code as cell cellId (tracebacks name it "<cellId>.py").  Runs are queued.
//   cancel { runId }                 Stop pressed before the run's code started: a run
//                                    still queued is dropped (the worker sends nothing for
//                                    it); one loading its packages ends, once they are
//                                    loaded, with done "stopped" without running.
//   reset  { runId: 0, cellId }      Forget a cell's variables.
//
// Worker → page
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
//   stream { runId, name: "stdout" | "stderr", text }
//   figure { runId, png: ArrayBuffer (transferred), alt, width, height }
//   display { runId, mime, data }    Rich output drawn by the renderer registered for mime
//                                    (web/js/renderers.js); data is text (usually JSON).
//   input  { runId, prompt }         input() is waiting (its prompt is already in stdout);
//                                    the page writes the answer into stdinBuffer (see
//                                    writeStdin), or cancels the wait (Stop).
//   done   { runId, status: "ok" | "error" | "stopped", errorType, traceback, seconds,
//            packages }              packages: every package loaded in the worker so far.
//   fatal  { runId, message }        The interpreter cannot go on; the page restarts it.
//
// Stop: when isolated, the page writes INTERRUPT_SIGINT into interruptBuffer and Python
// raises KeyboardInterrupt (done: "stopped", variables kept); otherwise, or when Python
// does not react (C code that never checks), the page terminates the worker and starts
// a new one.
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
  DONE: "done",
  FATAL: "fatal",
});

export const NO_RUN = 0;
export const INTERRUPT_SIGINT = 2;
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
