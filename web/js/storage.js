// The learner's work, kept in this browser (localStorage) so that edits survive a reload.
//
// Keys look like "linreg-lab:v1:/site/:lesson:main": a version (so a later format can
// migrate), the site's folder (two copies of the lab on one host keep apart), an area
// ("lesson", "playground", "layout") and an id.  Values are JSON.
//
// localStorage can be missing (blocked in some private windows, sandboxed frames) or full.
// Then the store keeps working in memory for the life of the page and reports the problem
// once through `onProblem`, so the page can tell the learner their edits will not last.

const VERSION = "linreg-lab:v1:";

/** The site's folder: the assets folder's parent, the same for every page of the site. */
function siteScope() {
  try {
    return new URL("..", import.meta.url).pathname;
  } catch {
    return "/";
  }
}

export const PROBLEM_TEXT = {
  blocked:
    "This browser does not let the page save your edits (storage is blocked, as in some " +
    "private windows): they are kept only until you leave the page.",
  full:
    "This browser's storage for this site is full, so your latest edits are not saved: " +
    "they are kept only until you leave the page.",
};

export class SafeStorage {
  constructor(scope = siteScope()) {
    this.prefix = `${VERSION}${scope}:`;
    this.memory = new Map(); // used when localStorage fails; shadows it
    this.problem = null; // null | "blocked" | "full"
    this.listeners = [];
    try {
      this.backend = globalThis.localStorage;
      this.backend.getItem(`${this.prefix}probe`);
    } catch {
      this.backend = null;
      this.problem = "blocked";
    }
  }

  /** True while what is written here will still be there after a reload. */
  get persistent() {
    return this.problem === null;
  }

  /** Call `listener(problem)` when saving stops working (at once if it already has). */
  onProblem(listener) {
    this.listeners.push(listener);
    if (this.problem) listener(this.problem);
  }

  report(problem) {
    if (this.problem) return;
    this.problem = problem;
    for (const listener of this.listeners) listener(problem);
  }

  get(key) {
    const full = this.prefix + key;
    if (this.memory.has(full)) return this.memory.get(full);
    if (!this.backend) return null;
    try {
      const text = this.backend.getItem(full);
      return text === null ? null : JSON.parse(text);
    } catch {
      return null; // unreadable (hand-edited, or from a broken build): as if absent
    }
  }

  /** Store `value`; returns false when it is only kept in memory. */
  set(key, value) {
    const full = this.prefix + key;
    if (this.backend) {
      try {
        this.backend.setItem(full, JSON.stringify(value));
        this.memory.delete(full);
        return true;
      } catch {
        this.report("full");
      }
    }
    this.memory.set(full, value);
    return false;
  }

  remove(key) {
    const full = this.prefix + key;
    this.memory.delete(full);
    try {
      this.backend?.removeItem(full);
    } catch {
      // nothing to do: it is gone from memory, and the backend is failing anyway
    }
  }

  /** Keys (without the prefix) that start with `start`. */
  keys(start = "") {
    const found = new Set();
    const full = this.prefix + start;
    for (const key of this.memory.keys()) if (key.startsWith(full)) found.add(key.slice(this.prefix.length));
    if (this.backend) {
      try {
        for (let i = 0; i < this.backend.length; i++) {
          const key = this.backend.key(i);
          if (key?.startsWith(full)) found.add(key.slice(this.prefix.length));
        }
      } catch {
        // a failing backend lists nothing more
      }
    }
    return [...found];
  }
}

/**
 * The learner's version of each snippet in one area ("lesson" or "playground").
 * A record is { code, base, savedAt, ...extra }: `base` is the shipped code the edit
 * started from, so a page can tell when the snippet was updated since the learner edited it.
 */
export class SnippetStore {
  constructor(area, storage = new SafeStorage()) {
    this.area = area;
    this.storage = storage;
  }

  key(id) {
    return `${this.area}:${id}`;
  }

  load(id) {
    const record = this.storage.get(this.key(id));
    if (!record || typeof record !== "object" || typeof record.code !== "string") return null;
    if (typeof record.base !== "string") record.base = null;
    return record;
  }

  /** Save a record; returns false when it will not survive a reload. */
  save(id, record) {
    return this.storage.set(this.key(id), { ...record, savedAt: Date.now() });
  }

  remove(id) {
    this.storage.remove(this.key(id));
  }

  /** The ids that have a saved record. */
  ids() {
    const start = this.key("");
    return this.storage.keys(start).map((key) => key.slice(start.length));
  }
}
