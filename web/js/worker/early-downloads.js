// The wheels Python needs before ready (NumPy, matplotlib and their dependencies) are
// downloaded while Pyodide is still compiling WebAssembly and starting Python, instead of
// after.  Pyodide's own loader then asks for the same URLs; relying on the browser's HTTP
// cache to answer it would send each wheel twice whenever the cache cannot (a download
// still in flight, `no-store`, `max-age=0, must-revalidate`...).  So this worker's `fetch`
// is wrapped: a URL downloaded early is answered from those very bytes, once, and
// forgotten.  Pyodide 0.27.7 fetches a wheel with `fetch(url, { integrity })`
// (browser_getBinaryResponse in its pyodide.mjs), so the integrity is checked here, as the
// browser would.  Every response it hands out is also kept for the rest of the visit
// (kept-downloads.js), for the offline copy and the snapshot maker.

import * as keptDownloads from "./kept-downloads.js";

const downloads = new Map(); // absolute URL → Promise<ArrayBuffer>
const PROGRESS_EVERY_BYTES = 1 << 20;

/** Read a response to the end, calling onBytes(n) for each chunk. */
async function readAll(response, onBytes) {
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const chunks = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onBytes(value.length);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes.buffer;
}

/**
 * Start downloading every lock entry's file_name (absolute URLs).  onProgress(received)
 * is called about once a megabyte, with the bytes received so far.
 */
export function start(entries, onProgress = () => {}) {
  let received = 0;
  let reported = 0;
  const counted = (n) => {
    received += n;
    if (received - reported >= PROGRESS_EVERY_BYTES) {
      reported = received;
      onProgress(received);
    }
  };
  for (const entry of entries) {
    const url = new URL(entry.file_name, self.location.href).href;
    const download = originalFetch(url, { priority: "low" }).then((response) => readAll(response, counted));
    download.catch(() => {}); // Pyodide fetches it again and reports any error itself
    downloads.set(url, download);
  }
}

/** The base64 SHA-256 digest of bytes, as an integrity string writes it. */
async function sha256Base64(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return btoa(String.fromCharCode(...digest));
}

/** A Response for an early download, checked against `integrity` ("sha256-…") if given. */
async function answer(buffer, integrity) {
  const expected = integrity?.match(/^sha256-(\S+)/)?.[1];
  if (integrity && !expected) throw new TypeError(`Unsupported integrity ${integrity}`);
  if (expected && (await sha256Base64(buffer)) !== expected) {
    throw new TypeError("Failed to fetch: the download does not match its integrity hash.");
  }
  return new Response(buffer, { status: 200, headers: { "Content-Type": "application/octet-stream" } });
}

const originalFetch = self.fetch.bind(self);

/** The response, after keeping a copy of it for the rest of the visit. */
function kept(url, response) {
  keptDownloads.keep(url, response);
  return response;
}

/**
 * fetch, answering a URL downloaded early from its bytes (once), anything else as usual;
 * a copy of what a GET brings is kept (kept-downloads.js).
 */
function sharedFetch(input, init = undefined) {
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  if (method !== "GET") return originalFetch(input, init);
  const download = downloads.get(url);
  if (!download) return originalFetch(input, init).then((response) => kept(url, response));
  downloads.delete(url); // answered once: a later fetch of it is a real request again
  return download.then(
    async (buffer) => kept(url, await answer(buffer, init?.integrity)),
    () => originalFetch(input, init).then((response) => kept(url, response)), // try once more
  );
}

self.fetch = sharedFetch;
