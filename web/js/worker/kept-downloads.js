// Every file the Python worker downloads is kept for the rest of the visit, in a Cache
// Storage cache of its own (CACHE_PREFIX + the build id), so that nothing is downloaded
// twice in one visit whatever cache headers the host sends (`no-store`, `max-age=0,
// must-revalidate`...).  Two others need those files after the worker has them:
//
// - the service worker, which saves the site for offline use once the worker's background
//   work is over (web/js/service-worker.js takes a file from this cache before asking the
//   network, then deletes the cache: it was only for this visit);
// - the throwaway snapshot maker (interpreter-snapshot.js), which starts Pyodide again.
//
// Where no service worker saves the site (none in this browser, or saving failed), the
// cache stays until a visit of another build replaces it (begin): one build's downloads.
//
// Pyodide's WebAssembly module is the exception: Chromium keeps its compiled code beside the
// HTTP cache entry it came from (see service-worker.js, httpCacheFirst), so its response
// is passed on untouched, and kept here only when the host forbids the HTTP cache to keep
// it (`no-store`).  The service worker then finds it in the HTTP cache.

const CACHE_PREFIX = "python-downloads-";
let cacheName = null;
const writes = [];

/** Start keeping downloads for this build; drops what other builds' visits left. */
export function begin(buildId) {
  if (typeof caches === "undefined") return;
  cacheName = `${CACHE_PREFIX}${buildId}`;
  writes.push((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== cacheName) await caches.delete(name);
    }
  })());
}

/** Whether a response should be kept (see the top for the WebAssembly module). */
function worthKeeping(url, response) {
  if (!response.ok || response.type === "opaque") return false;
  if (!url.split(/[?#]/)[0].endsWith(".wasm")) return true;
  return /\bno-store\b/i.test(response.headers.get("Cache-Control") ?? "");
}

/**
 * Keep a copy of a response this worker downloaded (a clone, taken now, before anyone
 * reads the body).  Best effort: a full disk only means a later download.
 */
export function keep(url, response) {
  if (!cacheName || !worthKeeping(url, response)) return;
  const copy = response.clone();
  const name = cacheName;
  writes.push(
    caches.open(name)
      .then((cache) => cache.put(url, copy))
      .catch((error) => console.warn(`python worker: could not keep ${url}:`, error)),
  );
}

/** Once every copy is written: the cache's name (null when nothing could be kept). */
export async function written() {
  await Promise.allSettled(writes);
  return cacheName;
}
