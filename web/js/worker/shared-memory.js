// The worker's side of the memory it shares with the page (layout in ../protocol.js):
// the signal slot Pyodide reads for Stop and streaming's flush ticks, the handshake that
// decides whether a run dropped by the page was already taken, and input()'s wait.

import {
  CANCEL_RING, INTERRUPT_SIGINT, NO_RUN, SLOT_CANCELLED, SLOT_SIGNAL, SLOT_STOP_RUN, SLOT_TAKEN_RUN,
  STDIN_WAITING, readStdin,
} from "../protocol.js";

/**
 * What Pyodide reads as its interrupt buffer: a view of the page's signal slot that
 * takes the signal out atomically and gives a SIGINT only to the run it is for.
 *
 * Why not the shared array itself: CPython's Emscripten port reads the buffer every 50
 * ticks of its eval breaker as `result = buffer[0]; buffer[0] = 0` (two steps, not one
 * atomic exchange).  A Stop written by the page between the two is wiped out: measured
 * with Pyodide 0.27.7 (Node, a busy loop, Stop at a random moment), 2 to 3 Stops in 100
 * were lost, and the page restarted Python after its grace period, variables gone (the
 * "did not react to Stop" seen now and then right after ready).  The flush ticks of
 * streaming go through the same slot but never over a Stop (compareExchange on the page):
 * the loss was the read-then-clear.  Here the read is one Atomics.compareExchange, and
 * Pyodide's clear after it does nothing.
 *
 * runs: { current, finished }, the run whose code is running now and the last run that
 * ended (read at each look).  A SIGINT is for one run (SLOT_STOP_RUN): held while that run has not reached its code
 * (its packages loading: Stop pressed before the page heard "running"), dropped once
 * the run is over (Stop pressed as it ended), so it never lands in a background import
 * or in the next learner's run.
 */
export function signalsFor(shared, runs) {
  const take = () => {
    for (;;) {
      const signal = Atomics.load(shared, SLOT_SIGNAL);
      if (signal === 0) return 0;
      const target = signal === INTERRUPT_SIGINT ? Atomics.load(shared, SLOT_STOP_RUN) : NO_RUN;
      if (signal === INTERRUPT_SIGINT && target !== runs.current && target > runs.finished) return 0; // held
      if (Atomics.compareExchange(shared, SLOT_SIGNAL, signal, 0) !== signal) continue; // the page wrote meanwhile
      if (signal === INTERRUPT_SIGINT && target !== runs.current) return 0; // its run is over: dropped
      return signal;
    }
  };
  return {
    get 0() {
      return take();
    },
    set 0(_cleared) {}, // Pyodide's clear after its read: the read already took the signal out
  };
}

/**
 * Take a run from the queue, telling the page so; false when the page dropped it just
 * before (the handshake in protocol.js: the page then told the learner it did not run).
 */
export function takeRun(shared, runId) {
  if (!shared) return true;
  Atomics.store(shared, SLOT_TAKEN_RUN, runId);
  return Atomics.load(shared, SLOT_CANCELLED + (runId % CANCEL_RING)) !== runId;
}

/**
 * input(): block this thread until the page writes the learner's answer into stdinBuffer
 * (Atomics.wait).  Returns the answer, or null when the page cancelled the wait (Stop);
 * the Stop request is then consumed here, so it is raised once, as the KeyboardInterrupt
 * lab_runner raises for null.
 */
export function waitForAnswer(stdinBuffer, interruptBuffer) {
  while (Atomics.wait(stdinBuffer, 0, STDIN_WAITING, 1000) === "timed-out");
  const answer = readStdin(stdinBuffer);
  if (answer === null && interruptBuffer) Atomics.store(interruptBuffer, SLOT_SIGNAL, 0);
  return answer;
}

/** Can this worker block in Atomics.wait (input() needs it)?  Some browsers refuse. */
export function canWait(buffer) {
  try {
    Atomics.wait(buffer, 1, -1, 0); // returns at once: "not-equal" or "timed-out"
    return true;
  } catch (error) {
    console.warn("python worker: Atomics.wait is refused here; input() is unavailable", error);
    return false;
  }
}
