// Installing NumPy, matplotlib and their dependencies means unzipping over a thousand
// files (35 MB) into Pyodide's in-memory file system, and Pyodide 0.27 does it in Python,
// one wheel at a time: 0.7-0.8 s of every visit, the second visit as slow as the first.
//
// So the first visit keeps the installed files, as they are, in Cache Storage: one entry
// holding a short JSON header (the files' paths and sizes, the shared libraries to load,
// the packages now installed) followed by the files' bytes end to end.  A later visit
// writes them straight back (each file a view into that one buffer: nothing is copied or
// inflated), loads the shared libraries as Pyodide's own installer does, and marks the
// packages installed, so `loadPackage` and `loadPackagesFromImports` skip them.
//
// The entry's URL is derived from every preloaded wheel's sha256 in the page's lock, so a
// new build with other wheels finds nothing and installs (and keeps) afresh; older
// entries are deleted when a new one is kept.  Anything unexpected in an entry (another
// format, sizes that do not add up, a restore that throws) and the worker installs from
// the wheels as on a first visit.

const CACHE_NAME = "python-installed-files";
const FORMAT = 1;

/** Hex SHA-256 of a string. */
async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The Cache Storage URL for these packages (lock entries) of this Pyodide (indexURL). */
export async function entryURL(indexURL, packages) {
  const wheels = packages.map((entry) => `${entry.name} ${entry.sha256}`).sort();
  const digest = await sha256(JSON.stringify([FORMAT, indexURL, wheels]));
  return new URL(`installed-files/${digest.slice(0, 32)}.bin`, indexURL).href;
}

/** The kept entry's bytes, or null (none, or no Cache Storage in this context). */
export async function readEntry(url) {
  try {
    const response = await caches.match(url, { cacheName: CACHE_NAME });
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/** Delete every kept entry (one that did not restore, say). */
export async function forget() {
  try {
    await caches.delete(CACHE_NAME);
  } catch {
    // No Cache Storage here: nothing was kept.
  }
}

/** Every file below `root`, as absolute paths, in a stable order. */
export function listFiles(FS, root) {
  const files = [];
  const walk = (folder) => {
    for (const name of FS.readdir(folder).sort()) {
      if (name === "." || name === "..") continue;
      const path = `${folder}/${name}`;
      const { mode } = FS.stat(path);
      if (FS.isDir(mode)) walk(path);
      else if (FS.isFile(mode)) files.push(path);
    }
  };
  walk(root);
  return files;
}

/** A file's bytes: a view of what the in-memory file system holds, or else a copy. */
function fileBytes(FS, path) {
  const { node } = FS.lookupPath(path);
  if (node.contents instanceof Uint8Array) return node.contents.subarray(0, node.usedBytes);
  return FS.readFile(path);
}

/** Parse an entry: its header, and where each file's bytes are.  Throws if it is not whole. */
function parse(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
  if (header.format !== FORMAT) throw new Error(`format ${header.format}, not ${FORMAT}`);
  let offset = 4 + headerLength;
  const files = header.files.map(([path, size]) => {
    const file = { path, start: offset, end: offset + size };
    offset += size;
    return file;
  });
  if (offset !== bytes.length) throw new Error(`${bytes.length} bytes, the header says ${offset}`);
  return { header, files };
}

/**
 * Put a kept entry's files back into Pyodide's file system, load their shared libraries
 * and mark their packages installed.  Returns how many files were restored.
 */
export async function restore(pyodide, bytes) {
  const { header, files } = parse(bytes); // before touching anything
  const { FS } = pyodide;
  const folders = new Set();
  for (const { path, start, end } of files) {
    const folder = path.slice(0, path.lastIndexOf("/"));
    if (!folders.has(folder)) {
      FS.mkdirTree(folder);
      folders.add(folder);
    }
    // canOwn: the file system keeps this view of the entry's buffer instead of a copy.
    FS.writeFile(path, bytes.subarray(start, end), { canOwn: true });
  }
  // As Pyodide's installer does after unpacking a wheel (loadDynlibsFromPackage): each
  // extension module's WebAssembly loaded now, locally, since Python imports it later
  // synchronously.  No package here has a `NAME.libs` folder of shared libraries.
  for (const path of header.dynlibs) {
    await pyodide._api.loadDynlib(path, false, []);
  }
  Object.assign(pyodide.loadedPackages, header.packages);
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  return files.length;
}

/**
 * Keep `files` (listed right after the packages were installed, before anything else
 * was) in Cache Storage under `url`, for the next visit; drop entries of older builds.
 * Returns the bytes kept, or 0 when there was nothing to keep this way.
 */
export async function keep(pyodide, url, files, packages) {
  if (typeof caches === "undefined") return 0;
  const { FS } = pyodide;
  // A package bringing shared libraries of its own (`NAME.libs/`) would need them found
  // at load time; none of the preloaded ones does, and then this is not kept.
  if (files.some((path) => path.includes(".libs/"))) return 0;
  const loader = pyodide.pyimport("pyodide._package_loader");
  let dynlibs;
  try {
    dynlibs = files.filter((path) => path.includes(".so") && loader.should_load_dynlib(path));
  } finally {
    loader.destroy();
  }
  const contents = files.map((path) => fileBytes(FS, path));
  const header = new TextEncoder().encode(
    JSON.stringify({
      format: FORMAT,
      files: files.map((path, i) => [path, contents[i].length]),
      dynlibs,
      packages: Object.fromEntries(packages.map((name) => [name, pyodide.loadedPackages[name]])),
    }),
  );
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, header.length, true);
  const body = new Blob([length, header, ...contents]);
  const cache = await caches.open(CACHE_NAME);
  for (const request of await cache.keys()) {
    if (request.url !== url) await cache.delete(request);
  }
  await cache.put(url, new Response(body, { headers: { "Content-Type": "application/octet-stream" } }));
  return body.size;
}
