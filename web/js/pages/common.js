// What every page with cells shares: the one Python host, the status line in the header,
// Escape as a page-wide Stop, and the service worker (cross-origin isolation on any host,
// and the site saved for offline use).
/* global LAB_CONFIG, WORKER_URL */

import { isRunKey } from "../plain-editor.js";
import { DEFAULT_TIME_LIMIT_S, PythonHost, START_STALL_MS } from "../python-host.js";
import { saveForOffline, setUpServiceWorker } from "../service-worker-client.js";
import { startMaker } from "../worker/interpreter-snapshot.js";

export const config = LAB_CONFIG;

const IDLE_POLL_MS = 1000;

const PHASE_TEXT = {
  loading: "Loading Python",
  ready: "Python ready",
  restarting: "Restarting Python",
  error: "Python failed to load",
};

/** A positive number of seconds from the page's address (?NAME=SECONDS), or `fallback`. */
function secondsFromURL(name, fallback) {
  const value = Number(new URLSearchParams(location.search).get(name));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * The Retry button beside the status line, shown while Python failed to start.  It lives
 * outside the status line (role=status), so only the failure itself is announced.
 */
function retryButton(host) {
  let button = document.getElementById("python-retry");
  if (!button) {
    button = document.createElement("button");
    button.id = "python-retry";
    button.type = "button";
    button.className = "python-retry";
    button.textContent = "Retry";
    button.hidden = true;
    button.addEventListener("click", () => host.retry());
    document.getElementById("python-status")?.after(button);
  }
  return button;
}

let host = null;

/**
 * Start the Python worker, so it loads while the learner reads; the page's first script
 * calls this before anything else (see start.js).  Later calls return the same host.
 */
export function startPython() {
  if (host) return host;
  host = new PythonHost(new URL(WORKER_URL, document.baseURI), {
    timeLimit: secondsFromURL("timeLimit", DEFAULT_TIME_LIMIT_S),
    startStallMs: secondsFromURL("startStall", START_STALL_MS / 1000) * 1000,
    start: false,
  });

  // The status line in the header.  This may run before the parser has reached it: the
  // latest status is written again once the document is parsed.
  let started = performance.now(); // of this page, or of the latest restart
  let shown = null; // { phase, text }
  const show = () => {
    const line = document.getElementById("python-status");
    if (!line || !shown) return;
    line.dataset.phase = shown.phase;
    line.textContent = shown.text;
    const retry = retryButton(host);
    const failed = shown.phase === "error";
    if (retry.hidden === failed) retry.hidden = !failed;
  };
  host.addEventListener("status", ({ detail: { phase, detail } }) => {
    if (phase === "restarting") started = performance.now();
    let text = PHASE_TEXT[phase] ?? phase;
    if (phase === "loading" && detail) text = `${detail}…`;
    if (phase === "ready") text += ` (${((performance.now() - started) / 1000).toFixed(1)} s)`;
    if (phase === "error" || phase === "restarting") text += detail ? `: ${detail}` : "";
    shown = { phase, text };
    show();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show, { once: true });

  // A cross-origin isolated page starts Python at once.  One that is not may first
  // reload once, controlled by the service worker, to become isolated.
  globalThis.labPython = host; // test hook: the browser tests read the host (buffers, stall limit) through it
  if (globalThis.crossOriginIsolated) host.start();
  setUpServiceWorker()
    .catch(() => false)
    .then((reloading) => reloading || host.start());

  // Once the worker's own background work is over (its prefetch) and no run is waiting,
  // save the site for offline use, from the files the worker downloaded (nothing is
  // downloaded twice), then have the interpreter snapshot made if Python started without
  // one: the first moments belong to the learner's runs.
  const whenIdle = (then) => (host.busy ? setTimeout(whenIdle, IDLE_POLL_MS, then) : then());
  host.addEventListener("settled", ({ detail: { downloads, snapshotWanted } }) => {
    whenIdle(async () => {
      await saveForOffline({ downloads });
      if (snapshotWanted) whenIdle(() => startMaker(host.workerURL));
    });
  }, { once: true });

  // Escape stops running code wherever the focus is (a cell stops its own first).
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented && host.busy) {
      event.preventDefault();
      host.stop();
    }
  });

  return host;
}

let heldRuns = null; // cell ids, while the run keys are held (see holdRunKeys)
let holder = null;

/**
 * The lesson's code boxes take typing from the first paint, before the page's module has
 * made them into cells: from the moment this is called (by start.js, the page's first
 * script), Ctrl/Cmd+Enter or Shift+Enter in one is held (no new line typed), and the page
 * runs that cell once it exists (takeHeldRuns).
 */
export function holdRunKeys() {
  if (holder) return;
  heldRuns = [];
  holder = (event) => {
    if (!isRunKey(event) || !event.target.matches?.("textarea.cell-code")) return;
    event.preventDefault();
    const id = event.target.closest("[data-cell-id]")?.dataset.cellId;
    if (id && !heldRuns.includes(id)) heldRuns.push(id);
  };
  document.addEventListener("keydown", holder, true);
}

/** Stop holding the run keys (the cells handle them now); the ids of the cells to run. */
export function takeHeldRuns() {
  if (holder) document.removeEventListener("keydown", holder, true);
  const runs = heldRuns ?? [];
  holder = heldRuns = null;
  return runs;
}
