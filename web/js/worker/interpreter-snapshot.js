// Starting CPython itself (initialising the interpreter, importing what Pyodide's
// bootstrap imports) takes about a quarter of a second of every visit.  Pyodide 0.27 can
// save the WebAssembly memory of a freshly started interpreter and start the next one
// from it (its experimental `_makeSnapshot` and `_loadSnapshot` options).
//
// Only the bare interpreter can be saved that way: packages live outside the memory a
// snapshot holds (their files in the in-memory file system, their shared libraries in
// WebAssembly instances of their own; see installed-files.js for those), so they are put
// back after the restore as on any visit.  And an interpreter started with
// `_makeSnapshot` cannot call browser functions from Python (its `js` module records what
// it is asked for, to replay it on restore), so it is no use to the learner: a throwaway
// copy of the Python worker, named MAKER_NAME, makes the snapshot once the first visit
// is idle, keeps it in Cache Storage and closes.  The page starts it (startMaker) after
// the site is saved for offline use, so the maker, controlled by the service worker,
// loads Pyodide's scripts from that copy, and its fetches are answered from Cache Storage
// (cacheFirstFetch): starting Pyodide a second time downloads nothing again.
//
// The snapshot's URL names the build and the environment the interpreter was started
// with; Pyodide itself refuses the snapshot of another Pyodide.  One that does not
// restore is deleted, and Python starts afresh.

const CACHE_NAME = "python-snapshot";
export const MAKER_NAME = "python-snapshot-maker";
// What Pyodide 0.27's makeMemorySnapshot writes: a header of 32-bit words (this magic
// number, the header's length, ...) and then the memory, whole 64 KiB WebAssembly pages.
const SNAPSHOT_MAGIC = 1886286592;
const WASM_PAGE = 65536;

/** Whether `bytes` looks like a whole snapshot (a damaged one can hang loadPyodide). */
function wellFormed(bytes) {
  if (bytes.length < WASM_PAGE || bytes.length % 4 !== 0) return false;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, 2);
  const headerLength = words[1];
  return words[0] === SNAPSHOT_MAGIC && headerLength < bytes.length && (bytes.length - headerLength) % WASM_PAGE === 0;
}

/** The Cache Storage URL of the snapshot of this build's interpreter started with `env`. */
export function snapshotURL(indexURL, buildId, env) {
  return new URL(`python-snapshot/${buildId}.bin?env=${encodeURIComponent(JSON.stringify(env))}`, indexURL).href;
}

/** The kept snapshot's bytes, or null (none yet, a damaged one, or no Cache Storage). */
export async function readSnapshot(url) {
  let bytes;
  try {
    const response = await caches.match(url, { cacheName: CACHE_NAME });
    bytes = response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
  if (bytes && !wellFormed(bytes)) {
    console.warn("python worker: the kept interpreter snapshot is damaged; starting afresh");
    await forgetSnapshots();
    return null;
  }
  return bytes;
}

/** Delete every kept snapshot. */
export async function forgetSnapshots() {
  try {
    await caches.delete(CACHE_NAME);
  } catch {
    // No Cache Storage here: nothing was kept.
  }
}

/** In the maker: start a bare interpreter with `options`, keep its snapshot under `url`. */
export async function makeSnapshot(loadPyodide, options, url) {
  const interpreter = await loadPyodide({ ...options, packages: [], _makeSnapshot: true });
  const bytes = interpreter.makeMemorySnapshot();
  await forgetSnapshots(); // another build's
  const cache = await caches.open(CACHE_NAME);
  await cache.put(url, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
  return bytes.length;
}

/**
 * fetch for the maker: a GET without an integrity to check is answered from Cache Storage
 * when a copy is there (the site's offline copy, or what the Python worker kept).
 */
export function cacheFirstFetch(fetchFile) {
  return async (input, init = undefined) => {
    const url = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
    if (!init?.integrity && (init?.method ?? "GET") === "GET") {
      try {
        const cached = await caches.match(url, { ignoreVary: true });
        if (cached) return cached;
      } catch {
        // No Cache Storage here: the network, as usual.
      }
    }
    return fetchFile(input, init);
  };
}

/** Start the maker (from the page): `scriptURL` is the Python worker's own script. */
export function startMaker(scriptURL) {
  if (typeof caches === "undefined") return;
  const maker = new Worker(scriptURL, { type: "module", name: MAKER_NAME });
  maker.onerror = (event) => {
    console.warn("python worker: no snapshot kept", event.message ?? event);
    maker.terminate();
  };
}
