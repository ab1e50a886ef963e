// The learner's progress on the checked exercises, kept in this browser (SafeStorage,
// key "progress:exercise:<id>", a JSON record):
//
//   { tried: bool, solved: bool, revealed: bool, solvedAfterReveal: bool,
//     hints: number (hints shown), version: string (exerciseVersion when last seen) }
//
// An exercise's state follows from it: "not tried", "not yet" (run, not passed),
// "solved", or "solved after seeing the solution".  Solved stays solved: a later run
// that fails shows its verdict, but the exercise counts as done.  The learner's code is
// not here: it is kept with the lesson's saved edits (storage.js's SnippetStore).

import { SafeStorage } from "./storage.js";

export const STATE_TEXT = Object.freeze({
  "not-tried": "Not tried",
  "not-yet": "Not yet",
  solved: "Solved",
  "solved-revealed": "Solved after seeing the solution",
});

const EMPTY = Object.freeze({
  tried: false, solved: false, revealed: false, solvedAfterReveal: false, hints: 0, version: null,
});

/**
 * A short fingerprint of what makes an exercise what it is (its starter and its check):
 * a new build that changes either gets another one, so the page can say so.  (FNV-1a,
 * 32 bits, in hex: enough to tell versions of one exercise apart.)
 */
export function exerciseVersion(starter, check) {
  let hash = 0x811c9dc5;
  for (const char of `${starter}\u0000${check}`) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** The state of a progress record: "not-tried" | "not-yet" | "solved" | "solved-revealed". */
export function stateOf(record) {
  if (record.solved) return record.solvedAfterReveal ? "solved-revealed" : "solved";
  return record.tried ? "not-yet" : "not-tried";
}

export class ExerciseProgress {
  constructor(storage = new SafeStorage()) {
    this.storage = storage;
  }

  key(id) {
    return `progress:exercise:${id}`;
  }

  /** The record of exercise `id` (an empty one when there is none, or it is unreadable). */
  load(id) {
    const saved = this.storage.get(this.key(id));
    const record = { ...EMPTY };
    if (saved && typeof saved === "object") {
      for (const [name, empty] of Object.entries(EMPTY)) {
        if (saved[name] !== undefined && (empty === null || typeof saved[name] === typeof empty)) {
          record[name] = saved[name];
        }
      }
    }
    return record;
  }

  /** Change some fields of a record and save it; returns the new record. */
  update(id, changes) {
    const record = { ...this.load(id), ...changes };
    this.storage.set(this.key(id), record);
    return record;
  }

  /** A run was checked: record its verdict ("passed" | "not-yet"). */
  checked(id, status) {
    const record = this.load(id);
    const changes = { tried: true };
    if (status === "passed" && !record.solved) {
      changes.solved = true;
      changes.solvedAfterReveal = record.revealed;
    }
    return this.update(id, changes);
  }

  forget(id) {
    this.storage.remove(this.key(id));
  }

  /** { solved, total } over the exercises `ids`. */
  count(ids) {
    const solved = ids.filter((id) => this.load(id).solved).length;
    return { solved, total: ids.length };
  }
}

/** "2 of 3 exercises solved" (with "exercise" for a single one). */
export function countText({ solved, total }) {
  return `${solved} of ${total} ${total === 1 ? "exercise" : "exercises"} solved`;
}
