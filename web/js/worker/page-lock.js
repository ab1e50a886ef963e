// The page's pyodide-lock.json: fetched with every wheel's address made absolute, and
// the closure of a set of packages in it (what to download early, what to load).

/**
 * The page's lock file (lockURL: sitebuild/lock.py writes it), with every wheel's path made absolute: ours live
 * beside the lock, Pyodide's in indexURL.  Returns the lock and a blob URL of it for
 * loadPyodide.
 */
export async function fetchLock(lockURL, indexURL) {
  const response = await fetch(lockURL);
  if (!response.ok) throw new Error(`Could not load ${lockURL} (HTTP ${response.status}).`);
  const lock = await response.json();
  for (const entry of Object.values(lock.packages)) {
    const base = entry.file_name.includes("/") ? lockURL : indexURL;
    entry.file_name = new URL(entry.file_name, base).href;
  }
  const blobURL = URL.createObjectURL(new Blob([JSON.stringify(lock)], { type: "application/json" }));
  return { lock, blobURL };
}

/** Packages and everything they depend on, by the lock's names: each after its dependencies. */
export function closure(lock, names) {
  const found = new Set();
  const ordered = [];
  const visit = (name) => {
    const key = name.toLowerCase().replace(/[-_.]+/g, "-");
    if (found.has(key) || !lock.packages[key]) return;
    found.add(key);
    lock.packages[key].depends.forEach(visit);
    ordered.push(lock.packages[key]);
  };
  names.forEach(visit);
  return ordered;
}
