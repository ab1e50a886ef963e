// The Python worker: Pyodide runs here, never on the page's thread, so the page stays
// responsive whatever the learner's code does.  It starts loading the moment the page
// creates it; the Python side of each run lives in py_src/lab_runner.
/* global LAB_CONFIG */

import { MSG, NO_RUN, STDIN_WAITING } from "../protocol.js";
import * as earlyDownloads from "./early-downloads.js";
import * as installedFiles from "./installed-files.js";
import * as keptDownloads from "./kept-downloads.js";
import * as snapshots from "./interpreter-snapshot.js";
import { closure, fetchLock } from "./page-lock.js";
import { canWait, signalsFor, takeRun, waitForAnswer } from "./shared-memory.js";

const config = LAB_CONFIG;
// This file is served from <site>/assets/, so the site's root is one folder up.
const SITE_ROOT = new URL("../", import.meta.url);
const LOAD_TIMEOUT_MS = 120_000;
const SNAPSHOT_LOAD_TIMEOUT_MS = 30_000; // then Python starts afresh
const PREFETCH_GRACE_MS = 1500;
const ENV = config.workerEnv; // Python's environment (sitebuild/config.py, WORKER_ENV)

let pyodide = null;
let runner = null;
let pageLock = null; // the page's lock file (fetchLock), for installNow
let sitePackages = null; // where packages are installed
let interruptBuffer = null; // Int32Array shared with the page (protocol.js's layout)
let learnerRun = NO_RUN; // the run whose code (lab_runner.run_cell) is running now
let finishedRun = NO_RUN; // the last run that ended (runs are taken in the order of their ids)
const runs = { get current() { return learnerRun; }, get finished() { return finishedRun; } };
let stdinBuffer = null;
const cancelled = new Set(); // runIds the page dropped before they started
let gotInit;
const initReceived = new Promise((resolve) => (gotInit = resolve));
let keepInstalled = null; // set on a first visit: keeps the installed files for the next
let snapshotWanted = false; // no snapshot was restored: the page has one made once idle
let queued = 0; // runs (and other turns) waiting in the queue or running
let idleWaiters = [];
const IS_SNAPSHOT_MAKER = self.name === snapshots.MAKER_NAME;
const ready = IS_SNAPSHOT_MAKER ? makeSnapshot() : boot();
let queue = ready.catch(() => {});

/** Add a turn to the queue: everything that runs Python takes its turn, in order. */
function enqueue(turn) {
  queued += 1;
  const done = queue.then(turn).finally(() => {
    queued -= 1;
    if (queued === 0) {
      for (const resolve of idleWaiters.splice(0)) resolve();
    }
  });
  queue = done.catch(() => {});
  return done;
}

/** Resolves once nothing is queued or running (a macrotask later, so a message that
 * arrived meanwhile is queued first). */
async function idle() {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (queued === 0) return;
    await new Promise((resolve) => idleWaiters.push(resolve));
  }
}

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

function status(phase, detail = "", runId = NO_RUN, extra = {}) {
  post({ type: MSG.STATUS, runId, phase, detail, ...extra });
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** loadPyodide's options, as every start of Python here uses them. */
function pyodideOptions(indexURL, lockFileURL, packages) {
  return {
    indexURL,
    lockFileURL,
    packages,
    env: { ...ENV },
    stdout: (text) => console.log(text),
    stderr: (text) => console.warn(text),
  };
}

async function boot() {
  status("loading", "Starting Python");
  keptDownloads.begin(config.buildId);
  const indexURL = new URL(config.pyodideIndexURL, SITE_ROOT).href;
  const [{ loadPyodide }, { lock, blobURL: lockFileURL }] = await Promise.all([
    import(/* @vite-ignore */ `${indexURL}pyodide.mjs`),
    fetchLock(new URL(config.lockFileURL, SITE_ROOT), indexURL),
  ]);
  pageLock = lock;
  const preload = closure(lock, config.preloadPackages);
  const keptURL = await installedFiles.entryURL(indexURL, preload);
  const [kept, snapshot] = await Promise.all([
    installedFiles.readEntry(keptURL),
    snapshots.readSnapshot(snapshots.snapshotURL(indexURL, config.buildId, ENV)),
  ]);
  const loading = "Loading Python, NumPy and matplotlib";
  if (!kept) {
    // Each megabyte downloaded is progress the page sees (a slow link is not a stall).
    earlyDownloads.start(preload, (received) =>
      status("loading", `${loading} (${(received / 1e6).toFixed(1)} MB downloaded)`));
  }
  status("loading", loading);
  const options = pyodideOptions(indexURL, lockFileURL, kept ? [] : config.preloadPackages);
  const load = (extra = {}, ms = LOAD_TIMEOUT_MS) =>
    withTimeout(loadPyodide({ ...options, ...extra }), ms, "Loading Python");
  if (snapshot) {
    try {
      pyodide = await load({ _loadSnapshot: snapshot }, SNAPSHOT_LOAD_TIMEOUT_MS);
      if (pyodide.runPython("1 + 1") !== 2) throw new Error("it cannot add");
    } catch (error) {
      console.warn("python worker: the interpreter snapshot did not restore; starting afresh", error);
      pyodide = null;
      await snapshots.forgetSnapshots();
    }
  }
  if (!pyodide) {
    pyodide = await load();
    snapshotWanted = true;
  }
  sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  let restored = false;
  if (kept) {
    try {
      const count = await installedFiles.restore(pyodide, kept);
      console.info(`python worker: ${count} installed files restored from Cache Storage`);
      restored = true;
    } catch (error) {
      console.warn("python worker: the kept installed files did not restore; installing", error);
      await installedFiles.forget();
      await pyodide.loadPackage(config.preloadPackages, { messageCallback: () => {} });
    }
  }
  if (!restored) {
    // What the packages installed, listed before anything else is: kept once idle.
    const files = installedFiles.listFiles(pyodide.FS, sitePackages);
    const names = preload.map((entry) => entry.name);
    keepInstalled = () => installedFiles.keep(pyodide, keptURL, files, names);
  }
  await initReceived;
  if (interruptBuffer) pyodide.setInterruptBuffer(signalsFor(interruptBuffer, runs));
  runner = pyodide.pyimport("lab_runner");
  const lazy = pyodide.pyimport("lab_runner.lazy_install");
  lazy.install_on_first_import(pyodide.toPy(config.installOnFirstImport), installNow);
  lazy.destroy();
  // The warm-up draws a figure so the first Run is fast.  If a Run is already waiting, it
  // would only make that Run wait longer: matplotlib is then imported by the Run itself.
  await new Promise((resolve) => setTimeout(resolve, 0)); // let waiting messages in
  status("loading", "Preparing matplotlib");
  const warmUp = { draw: queued === 0 };
  // matplotlib's rarely used fonts and sample data come after ready (prefetch), or at once
  // when a figure needs one first (lab_runner.matplotlib_data).
  const data = config.matplotlibData;
  if (data) warmUp.install_matplotlib_data = () => installNow(data);
  runner.warm_up.callKwargs(warmUp);
  const started = { snapshot: !snapshotWanted, installedFiles: restored };
  const shared = { interrupt: interruptBuffer !== null, input: stdinBuffer !== null };
  status("ready", `Python ${pyodide.version}`, NO_RUN, { started, ...shared });
}

/**
 * Install a pure-Python package of the lock at once, synchronously: Python is importing it
 * this very moment (lab_runner.lazy_install), or a figure needs matplotlib's deferred fonts
 * (lab_runner.matplotlib_data), before the background prefetch got to it.
 * A Web Worker may block on a download; lab_runner checks the sha256 and unpacks it.
 */
function installNow(name) {
  const entry = pageLock.packages[name];
  const request = new XMLHttpRequest();
  request.open("GET", entry.file_name, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) {
    throw new Error(`Could not download ${entry.file_name} (HTTP ${request.status}).`);
  }
  keptDownloads.keep(entry.file_name, new Response(request.response));
  const lazy = pyodide.pyimport("lab_runner.lazy_install");
  try {
    lazy.install_wheel(new Uint8Array(request.response), entry.sha256, sitePackages);
  } finally {
    lazy.destroy();
  }
  pyodide.loadedPackages[entry.name] = "default channel";
}

/**
 * Once ready: download, install and import what the lesson will need next (scikit-learn,
 * linreg) in the background, so its Run does not wait for them.  The learner's runs come
 * first, for the network and for the CPU:
 * - nothing starts before no run is queued or running AND PREFETCH_GRACE_MS have passed
 *   since ready.  A Run pressed while Python was loading is queued before ready, so the
 *   prefetch asks for nothing before that Run's output (its plot) is on the page.  The
 *   prefetch does not wait any longer than that: on a slow line its downloads take
 *   seconds (scikit-learn and scipy are about 10 MB), and the sooner they start the less
 *   the lesson's scikit-learn Run waits, while a Run of NumPy and matplotlib needs no
 *   network and does not wait for them (below);
 * - each package (scikit-learn's dependencies one by one, each after its own) is a turn
 *   of its own, started only when no run is queued or running.  A download is awaited,
 *   so a Run pressed meanwhile runs at once (one that needs no new package does not take
 *   Pyodide's package lock); one pressed while a wheel is unpacked waits for that wheel
 *   only.  A run that imports scikit-learn before it is in waits for it inside
 *   loadPackagesFromImports (Pyodide serialises package loads);
 * - the imports are cut into short turns (a module each) in the run queue.
 * When all that is over, the page hears `settled`: it then saves the site for offline use
 * (from the files this worker kept, see kept-downloads.js) and has the interpreter
 * snapshot made (interpreter-snapshot.js), so neither competes with the learner either.
 */
async function prefetch() {
  const quiet = { messageCallback: () => {}, errorCallback: (message) => console.warn(message) };
  // A learner who was waiting for "ready" presses Run now: give that Run the machine.
  await new Promise((resolve) => setTimeout(resolve, PREFETCH_GRACE_MS));
  if (keepInstalled) {
    // Its turn only gathers the files into a Blob (about 0.1 s); the browser writes it
    // to Cache Storage while the queue goes on.
    await idle();
    let writing;
    await enqueue(() => {
      writing = keepInstalled();
    });
    writing.then(
      (bytes) => console.info(`python worker: installed files kept (${bytes} bytes)`),
      (error) => console.warn("python worker: installed files not kept", error),
    );
  }
  try {
    for (const { name } of closure(pageLock, config.prefetchPackages)) {
      if (name in pyodide.loadedPackages) continue;
      await idle();
      await pyodide.loadPackage(name, quiet);
    }
    for (const module of config.prefetchImports) {
      await idle();
      await enqueue(() => pyodide.runPython(`import ${module}`));
    }
  } catch (error) {
    console.warn("prefetch failed", error);
  }
  await idle();
  const downloads = await keptDownloads.written();
  post({ type: MSG.SETTLED, runId: NO_RUN, downloads, snapshotWanted });
}

/**
 * In the throwaway snapshot maker (see interpreter-snapshot.js): make it, and close.  Its
 * files come from Cache Storage when they are there (the site's offline copy, or what
 * the Python worker kept), not from the network again.
 */
async function makeSnapshot() {
  try {
    const indexURL = new URL(config.pyodideIndexURL, SITE_ROOT).href;
    self.fetch = snapshots.cacheFirstFetch(self.fetch); // Pyodide's fetches and fetchLock's
    const [{ loadPyodide }, { blobURL: lockFileURL }] = await Promise.all([
      import(/* @vite-ignore */ `${indexURL}pyodide.mjs`),
      fetchLock(new URL(config.lockFileURL, SITE_ROOT), indexURL),
    ]);
    const url = snapshots.snapshotURL(indexURL, config.buildId, ENV);
    const bytes = await snapshots.makeSnapshot(loadPyodide, pyodideOptions(indexURL, lockFileURL, []), url);
    console.info(`python worker: interpreter snapshot kept (${bytes} bytes)`);
  } catch (error) {
    console.warn("python worker: no snapshot kept", error);
  } finally {
    self.close();
  }
}
if (!IS_SNAPSHOT_MAKER) ready.then(() => prefetch(), () => {});

/** After a restart: load again what the previous worker had loaded (quietly). */
async function reloadPackages(names) {
  const missing = names.filter((name) => !(name in pyodide.loadedPackages));
  if (missing.length) {
    await pyodide.loadPackage(missing, { messageCallback: () => {}, errorCallback: () => {} });
  }
}

/**
 * Python's runner calls emit(event) for everything a run produces: one dict
 * {"type": name, **fields} (protocol.js), posted unchanged with the run's id.  Bytes
 * arrive as a Uint8Array of their own, whose buffer is transferred, not copied.
 */
function makeEmit(runId) {
  return (pythonEvent) => {
    const event = pythonEvent.toJs({ dict_converter: Object.fromEntries });
    if (event.type === MSG.INPUT) {
      Atomics.store(stdinBuffer, 0, STDIN_WAITING);
      post({ type: MSG.INPUT, runId, prompt: event.prompt });
      return waitForAnswer(stdinBuffer, interruptBuffer);
    }
    const transfer = Object.values(event).filter(ArrayBuffer.isView).map((bytes) => bytes.buffer);
    post({ ...event, runId }, transfer);
    return undefined;
  };
}

/** The end of a run: how it ended, and the packages a restarted worker should load. */
function done(runId, status, errorType = null) {
  post({ type: MSG.DONE, runId, status, errorType, packages: Object.keys(pyodide.loadedPackages) });
}

/** The message for a crash of the interpreter itself (pyodide_fatal_error). */
function crashMessage(error) {
  // Emscripten's advice to developers ("Build with -sASSERTIONS …") means nothing to a learner.
  const cause = String(error.message ?? error).replace(/\s*Build with -s\w+ for more info\.?/, "");
  let message = `Python crashed (${error.name ?? "Error"}: ${cause}).`;
  if (/call stack|too much recursion/i.test(String(error.message))) {
    message += " This happens when functions call each other too deeply.";
  }
  return message;
}

async function run(message) {
  try {
    await runOnce(message);
  } finally {
    learnerRun = NO_RUN;
    finishedRun = Math.max(finishedRun, message.runId);
  }
}

async function runOnce({ runId, cellId, code, check = null }) {
  if (cancelled.delete(runId)) return;
  try {
    await ready;
  } catch (error) {
    post({ type: MSG.FATAL, runId, message: `Python could not start: ${error.message}` });
    return;
  }
  // Let messages that arrived meanwhile (a cancel for this very run) be handled first.
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (cancelled.delete(runId)) return;
  if (!takeRun(interruptBuffer, runId)) {
    done(runId, "stopped"); // (the page may have been waiting to hear it)
    return;
  }
  // The signal slot is not cleared here: a Stop already there may be this run's own.
  status("started", "", runId);
  try {
    // An exercise's check may import what the learner's code does not (yet).
    await pyodide.loadPackagesFromImports(check ? `${code}\n${check.source}` : code, {
      messageCallback: (message) => status("installing", message, runId),
      errorCallback: (message) => post({ type: MSG.STREAM, runId, name: "stderr", text: `${message}\n` }),
    });
    if (cancelled.delete(runId)) {
      done(runId, "stopped"); // stopped while its packages were loading: the code does not run
      return;
    }
    status("running", "", runId);
    const emit = makeEmit(runId);
    const checkProxy = check ? pyodide.toPy(check) : null;
    let result;
    try {
      learnerRun = runId;
      const resultProxy = runner.run_cell.callKwargs(code, cellId, emit, {
        input_available: stdinBuffer !== null,
        check: checkProxy,
      });
      result = resultProxy.toJs({ dict_converter: Object.fromEntries });
      resultProxy.destroy();
    } finally {
      checkProxy?.destroy();
    }
    done(runId, result.status, result.error_type ?? null);
  } catch (error) {
    if (error && error.pyodide_fatal_error !== undefined) {
      post({ type: MSG.FATAL, runId, message: crashMessage(error) });
    } else if (error?.type === "KeyboardInterrupt") {
      // Stop landed in run_cell's own lines, just before or after the learner's code.
      done(runId, "stopped", "KeyboardInterrupt");
    } else {
      // A failure outside the learner's code (a package that would not load, say).
      post({ type: MSG.STREAM, runId, name: "stderr", text: `${error.message ?? error}\n` });
      done(runId, "error", error.name ?? "Error");
    }
  }
}

self.onmessage = ({ data }) => {
  switch (data.type) {
    case MSG.INIT:
      interruptBuffer = data.interruptBuffer ?? null;
      stdinBuffer = data.stdinBuffer && canWait(data.stdinBuffer) ? data.stdinBuffer : null;
      if (data.packages?.length) enqueue(() => reloadPackages(data.packages)).catch(() => {});
      gotInit();
      break;
    case MSG.RUN:
      enqueue(() => run(data)).catch((error) => {
        post({ type: MSG.FATAL, runId: data.runId, message: `The Python worker failed: ${error.message ?? error}` });
      });
      break;
    case MSG.CANCEL:
      cancelled.add(data.runId);
      break;
    case MSG.RESET:
      enqueue(() => runner?.forget_cell(data.cellId)).catch(() => {});
      break;
    default:
      console.warn("python worker: unknown message", data);
  }
};

ready.catch((error) => {
  post({ type: MSG.FATAL, runId: NO_RUN, message: `Python could not start: ${error.message ?? error}` });
});
