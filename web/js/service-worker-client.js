// The page side of the site's service worker (web/js/service-worker.js, built to sw.js at
// the site's root).  The service worker does two things (see its own header):
//
// 1. Cross-origin isolation on any host.  It adds COOP/COEP to every response, so a page
//    it controls is cross-origin isolated even where the server cannot send headers
//    (GitHub Pages).  A page is controlled only from its next load on, so on a first
//    visit that is not isolated we wait for the service worker to take over and reload
//    once, before Python starts.  A sessionStorage mark stops this from ever looping: if
//    the reload did not bring isolation, the page goes on without it (Stop then restarts
//    Python, and input() explains why it cannot wait).
// 2. Offline.  Once Python is idle (so nothing competes with the learner's runs), the page
//    asks it to save the rest of the site and the Pyodide files, taking what the Python
//    worker already downloaded from the worker's copies; its progress is published in
//    `labOffline` and in <html data-offline="saving|ready|error">.

const RELOAD_MARK = "lab:isolation-reload";
const TAKE_OVER_TIMEOUT_MS = 10_000;

// The page bundles live in <site>/assets/, the service worker at the site's root.
const SITE_ROOT = new URL("../", import.meta.url);
const SCRIPT_URL = new URL("sw.js", SITE_ROOT);

/** Offline state, for the curious and the tests: { state, done, total, failed }. */
export const offline = { state: "unsupported", done: 0, total: 0, failed: 0 };
globalThis.labOffline = offline;

function publish(update) {
  Object.assign(offline, update);
  document.documentElement.dataset.offline = offline.state;
}

function supported() {
  return "serviceWorker" in navigator && globalThis.isSecureContext === true;
}

/** Read and clear the mark left by our own reload; false when storage is unusable. */
function takeReloadMark() {
  try {
    const marked = sessionStorage.getItem(RELOAD_MARK) !== null;
    sessionStorage.removeItem(RELOAD_MARK);
    return { usable: true, marked };
  } catch {
    return { usable: false, marked: false };
  }
}

function register() {
  return navigator.serviceWorker.register(SCRIPT_URL, { scope: SITE_ROOT.pathname });
}

function whenControlled(timeoutMs) {
  if (navigator.serviceWorker.controller) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      clearTimeout(timer);
      resolve(true);
    }, { once: true });
  });
}

/**
 * Register the service worker.  Resolves true when the page is about to reload to become
 * cross-origin isolated (then do not start Python), false when the page goes on as it is.
 */
export async function setUpServiceWorker() {
  if (!supported()) return false;
  navigator.serviceWorker.addEventListener("message", ({ data }) => {
    if (data?.type === "precache") publish(data);
  });
  const { usable, marked } = takeReloadMark();
  if (globalThis.crossOriginIsolated) return false; // registered later, see saveForOffline
  let registration;
  try {
    registration = await register();
  } catch (error) {
    console.warn("service worker not registered:", error);
    return false;
  }
  if (!usable || marked || !registration) return false; // never a second reload
  if (!(await whenControlled(TAKE_OVER_TIMEOUT_MS))) return false;
  try {
    sessionStorage.setItem(RELOAD_MARK, String(Date.now()));
  } catch {
    return false;
  }
  location.reload();
  return true;
}

/** Resolves once the service worker reports the end of saving ("ready" or "error"). */
function saved() {
  return new Promise((resolve) => {
    const listener = ({ data }) => {
      if (data?.type !== "precache" || data.state === "saving") return;
      navigator.serviceWorker.removeEventListener("message", listener);
      resolve();
    };
    navigator.serviceWorker.addEventListener("message", listener);
  });
}

/**
 * Ask the service worker to save everything the site needs offline (once Python is idle)
 * and wait until it is done.  downloads: the Cache Storage cache where the Python worker
 * kept what it downloaded this visit (see web/js/worker/kept-downloads.js): the service
 * worker takes those files from there instead of downloading them again, and the files
 * the page loaded from the HTTP cache.
 */
export async function saveForOffline({ downloads = null } = {}) {
  if (!supported()) return;
  try {
    await register();
    const registration = await navigator.serviceWorker.ready;
    publish({ state: "saving" });
    const done = saved();
    // The files this page loaded (not the page itself: a page kept in the HTTP cache may
    // be an older build's): the service worker takes them from the HTTP cache, if there.
    const loaded = performance.getEntriesByType("resource").map((entry) => entry.name.split("#")[0]);
    registration.active.postMessage({ type: "precache", downloads, loaded });
    await done;
  } catch (error) {
    console.warn("could not save the site for offline use:", error);
    publish({ state: "error" });
  }
}
