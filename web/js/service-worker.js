// The site's service worker.  build.py writes it to <site>/sw.js with a SW_CONFIG line on
// top: { version, shell, pyodide, immutable, workerCSP } (paths relative to the site's
// root, or absolute URLs when Pyodide comes from a CDN).  The page side is
// web/js/service-worker-client.js.  It does two jobs.
//
// 1. Cross-origin isolation on hosts that cannot send headers (GitHub Pages): every
//    response it hands to the site gets
//      Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp
//    (the coi-serviceworker technique), so a page it controls has SharedArrayBuffer: Stop
//    can interrupt Python and input() can wait for the learner.  The Python worker's
//    script also gets the site's Content-Security-Policy as a header: a worker takes its
//    policy from its own response, not from the page's <meta>.
// 2. Offline after the first visit.  Once the page says Python is idle ("precache"), it
//    saves the site's own files ("shell") and the Pyodide files and packages; on install
//    it only copies what an older version kept.  Nothing is downloaded twice in a visit, whatever the host's cache headers: what the
//    Python worker downloaded is taken from its copies (see fill), and files the page
//    loaded come from the HTTP cache when the host let it keep them.
//    Each build has its own cache, named after its version (the build id plus a digest of
//    every file), and older caches are deleted when a new version takes over; files that
//    never change (hashed assets, the versioned Pyodide folder) are copied over from the
//    old cache instead of being downloaded again.
//    Serving: hashed and versioned files from the cache first; pages and the lock file
//    from the network first (so a new build shows at once), the cache when offline.
//
// Compiled code is kept too.  Chromium stores the machine code it compiled for a script or
// a .wasm beside the cached response it came from, and reuses it only when the same
// response is handed over again: so subresources are passed on untouched (a Response
// rebuilt with new headers is a new response, compiled from scratch on every visit), and
// Pyodide's .wasm comes from the HTTP cache when it is there (see httpCacheFirst).
/* global SW_CONFIG */

const CACHE_PREFIX = "lab-";
const CACHE = `${CACHE_PREFIX}${SW_CONFIG.version}`;
const SCOPE = self.registration.scope; // the site's root, ending in "/"
const absolute = (path) => new URL(path, SCOPE).href;
const SHELL = SW_CONFIG.shell.map(absolute);
const PYODIDE = SW_CONFIG.pyodide.map(absolute);
const LISTED = new Set([...SHELL, ...PYODIDE]);
const IMMUTABLE = SW_CONFIG.immutable.map(absolute);
const PARALLEL_DOWNLOADS = 4;

const isImmutable = (url) => IMMUTABLE.some((prefix) => url.startsWith(prefix));
const isSameOrigin = (url) => new URL(url).origin === self.location.origin;
const withoutSearch = (url) => url.split(/[?#]/)[0];

// ------------------------------------------------------------------------------ caching

/**
 * Where fill() takes a file from, before the network: what the Python worker downloaded
 * this visit (the cache named `downloads`, see web/js/worker/kept-downloads.js), then an
 * older version's copy of a file that never changes.
 */
async function copyOf(url, downloads) {
  const kept = downloads ? await downloads.match(url, { ignoreVary: true }) : undefined;
  return kept ?? (isImmutable(url) ? caches.match(url, { ignoreVary: true }) : undefined);
}

/**
 * Save each url in this version's cache, taking copies (see copyOf) where there are some;
 * with keptOnly, only such copies are made (no download).  Else a file is downloaded:
 * from the HTTP cache whatever its age when it never changes or the page loaded it this
 * visit (`loaded`, a Set of URLs: its bytes are the ones the page uses), else revalidated.
 * The site's address ("./") is its index.html: one download serves both.
 * downloads: the name of the Python worker's cache of this visit's downloads, deleted
 * once used (it was only for this visit).
 */
async function fill(urls, { progress = () => {}, keptOnly = false, downloads = null, loaded = new Set() } = {}) {
  const cache = await caches.open(CACHE);
  const visit = downloads && (await caches.has(downloads)) ? await caches.open(downloads) : null;
  const fetched = new Map(); // the URL downloaded → Promise<Response>, shared by "./" and index.html
  const download = (url) => {
    const source = url.endsWith("/") ? `${url}index.html` : url;
    if (!fetched.has(source)) {
      fetched.set(source, fetch(source, {
        cache: isImmutable(source) || loaded.has(source) || loaded.has(url) ? "force-cache" : "no-cache",
        mode: isSameOrigin(source) ? "same-origin" : "cors",
        credentials: "same-origin",
      }));
    }
    return fetched.get(source).then((response) => response.clone());
  };
  const pending = [...urls];
  let done = 0;
  let failed = 0;
  async function next() {
    for (let url = pending.shift(); url; url = pending.shift()) {
      try {
        if (!(await cache.match(url, { ignoreVary: true }))) {
          const kept = await copyOf(url, visit);
          if (!kept && keptOnly) continue;
          const response = kept ?? await download(url);
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          await cache.put(url, response);
        }
      } catch (error) {
        failed += 1;
        console.warn(`service worker: could not save ${url}:`, error);
      }
      done += 1;
      progress(done, failed);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL_DOWNLOADS }, next));
  if (visit) await caches.delete(downloads);
  return { done, failed, total: urls.length };
}

/** Keep a copy of a response fetched on the way (best effort: a full disk is no error). */
async function remember(key, response) {
  if (response.status !== 200) return;
  try {
    const cache = await caches.open(CACHE);
    await cache.put(key, response);
  } catch (error) {
    console.warn(`service worker: could not save ${key}:`, error);
  }
}

async function fromCache(key, options = {}) {
  const cache = await caches.open(CACHE);
  return (await cache.match(key, { ignoreVary: true, ...options })) ??
    (isImmutable(key) ? caches.match(key, { ignoreVary: true }) : undefined);
}

/** Hashed and versioned files: they never change, so the cache answers first. */
async function cacheFirst(request) {
  const cached = await fromCache(request.url);
  if (cached) return cached;
  const response = await fetch(request);
  if (LISTED.has(request.url) || isSameOrigin(request.url)) remember(request.url, response.clone());
  return response;
}

/**
 * Pyodide's WebAssembly module: the HTTP cache's copy when there is one (whatever its age;
 * no network), else as cacheFirst.  The first visit compiles the module from the network
 * and Chromium saves the compiled code beside that HTTP cache entry (once the hot
 * functions are optimised); a later visit skips the compile only if the module comes from
 * that same entry.  Cache Storage's copy would be compiled again on the next visit.
 */
async function httpCacheFirst(request) {
  if (isSameOrigin(request.url)) {
    try {
      const cached = await fetch(request, { cache: "only-if-cached", mode: "same-origin" });
      if (cached.ok) return cached;
    } catch {
      // Not in the HTTP cache: Cache Storage's copy, or the network.
    }
  }
  return cacheFirst(request);
}

/** Pages, the lock file, snippets: the network first (a new build shows at once), else the cache. */
async function networkFirst(request) {
  const navigation = request.mode === "navigate";
  const key = navigation ? withoutSearch(request.url) : request.url;
  try {
    const response = await fetch(request);
    if (response.ok && (navigation || LISTED.has(key))) remember(key, response.clone());
    return response;
  } catch (error) {
    const cached = await fromCache(key, { ignoreSearch: navigation });
    if (cached) return cached;
    throw error;
  }
}

// ------------------------------------------------------------------------------ headers

/**
 * Whether a response to this request needs the headers below: only documents and worker
 * scripts take COOP/COEP (and CSP) from their own response.  A same-origin subresource
 * needs none of them under COEP, and is better passed on as it is (see the top).
 */
function needsHeaders(request) {
  return request.mode === "navigate" || request.destination === "worker" ||
    request.destination === "sharedworker";
}

/** The response with the headers that make the site cross-origin isolated (and the worker's CSP). */
function isolated(response, request) {
  if (response.type === "opaque" || response.type === "opaqueredirect" || response.status === 0) {
    return response;
  }
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  if (request.destination === "worker") headers.set("Content-Security-Policy", SW_CONFIG.workerCSP);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

// ------------------------------------------------------------------------------ events

self.addEventListener("install", (event) => {
  // Nothing is downloaded now: the first visit's reload to isolation comes quickly, and
  // the page asks for the offline copy ("precache") once the Python worker has downloaded
  // what it needs, so those files are not downloaded twice.  Files that never change and
  // that an older version already saved are copied now, before "activate" deletes the
  // old cache.
  event.waitUntil(fill([...LISTED], { keptOnly: true }).finally(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const sameOrigin = isSameOrigin(request.url);
  if (!sameOrigin && !LISTED.has(request.url)) return; // not the site's: left to the browser
  // A DevTools quirk (also handled by coi-serviceworker): such a request cannot be answered.
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  event.respondWith((async () => {
    const immutable = isImmutable(request.url);
    const response = immutable && withoutSearch(request.url).endsWith(".wasm")
      ? await httpCacheFirst(request)
      : immutable ? await cacheFirst(request) : await networkFirst(request);
    return sameOrigin && needsHeaders(request) ? isolated(response, request) : response;
  })());
});

self.addEventListener("message", (event) => {
  if (event.data?.type !== "precache") return;
  const client = event.source;
  const report = (state, done, failed) =>
    client?.postMessage({ type: "precache", state, done, failed, total: LISTED.size });
  const { downloads = null, loaded = [] } = event.data;
  event.waitUntil((async () => {
    const progress = (n, bad) => report("saving", n, bad);
    const { done, failed } = await fill([...LISTED], { progress, downloads, loaded: new Set(loaded) });
    report(failed ? "error" : "ready", done, failed);
  })());
});
