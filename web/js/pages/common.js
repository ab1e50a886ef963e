// What every page shares: the one Python host, and the status line in the header.
/* global LAB_CONFIG, WORKER_URL */

import { PythonHost } from "../python-host.js";

export const config = LAB_CONFIG;

const PHASE_TEXT = {
  loading: "Loading Python",
  ready: "Python ready",
  restarting: "Restarting Python",
  error: "Python failed to load",
};

/** Start the Python worker now, so it loads while the learner reads. */
export function startPython() {
  const host = new PythonHost(new URL(WORKER_URL, document.baseURI));
  const line = document.getElementById("python-status");
  const started = performance.now();
  host.addEventListener("status", ({ detail: { phase, detail } }) => {
    if (!line) return;
    line.dataset.phase = phase;
    let text = PHASE_TEXT[phase] ?? phase;
    if (phase === "loading" && detail) text = `${detail}…`;
    if (phase === "ready") text += ` (${((performance.now() - started) / 1000).toFixed(1)} s)`;
    if (phase === "error" || phase === "restarting") text += detail ? `: ${detail}` : "";
    line.textContent = text;
  });
  globalThis.labPython = host; // for the browser tests and the curious
  return host;
}
