// The full editor's saved work, one "slot" per document:
//
// - a slot per lesson snippet (its id, e.g. "main"): the learner's version of that snippet
//   in the full editor, kept apart from their version in the lesson itself;
// - one "scratch" slot for code that came from a shared link or a local file.
//
// Each slot is a SnippetStore record { code, base, savedAt, name?, previous?, address? }:
// `base` is what Reset brings back (the shipped snippet, or the code as it arrived), `name`
// the file it was opened from, `previous` the learner's code that newly arrived code
// replaced ({ code, savedAt, name, older }), kept until they bring it back or dismiss it,
// so a link never silently overwrites the learner's work.  `address` is the code the
// address bar carried at the last save: a reload of that same address is not new code
// arriving, even when the address lags a few keystrokes behind.

export const SCRATCH = "scratch";
const SNIPPET_ID = /^[\w-]{1,64}$/;

/** `id` if it can name a slot, else null. */
export function slotId(id) {
  return typeof id === "string" && SNIPPET_ID.test(id) ? id : null;
}

export class Workspace {
  /**
   * store: a SnippetStore ("playground"); catalog: { pages, snippets } (examples.js);
   * fallback: { id, code }, the snippet shipped inside the page, used when the catalog
   * could not be loaded.
   */
  constructor({ store, catalog, fallback }) {
    this.store = store;
    this.catalog = catalog;
    this.fallback = fallback;
  }

  /** The snippet as this build ships it, or null for scratch and unknown ids. */
  shipped(slot) {
    if (slot === SCRATCH) return null;
    return this.catalog.snippets[slot]?.code ?? (slot === this.fallback.id ? this.fallback.code : null);
  }

  load(slot) {
    return this.store.load(slot);
  }

  /** What the editor shows for a slot: the saved version, else the shipped one (or null). */
  codeFor(slot) {
    return this.load(slot)?.code ?? this.shipped(slot);
  }

  /** What Reset brings back: the snippet as shipped now, or the code as it arrived. */
  resetTarget(slot) {
    return this.shipped(slot) ?? this.load(slot)?.base ?? this.codeFor(slot) ?? "";
  }

  /** True when the learner's saved version was made from an older shipped snippet. */
  isOutdated(slot) {
    const record = this.load(slot);
    const shipped = this.shipped(slot);
    return Boolean(record && shipped !== null && record.base !== null && record.base !== shipped
      && record.code !== shipped);
  }

  /** True when the slot holds code that differs from what Reset would bring back. */
  isEdited(slot) {
    const record = this.load(slot);
    return Boolean(record && record.code !== this.resetTarget(slot));
  }

  /** Snippet slots with saved edits (for the examples menu). */
  editedSnippets() {
    return new Set(this.store.ids().filter((id) => id !== SCRATCH && this.isEdited(id)));
  }

  /**
   * Save the editor's code in its slot, with `address`, the code the address bar carries
   * now (or null).  Returns false when it will not survive a reload.
   */
  save(slot, code, address = null) {
    const record = this.load(slot) ?? { base: this.shipped(slot) ?? code };
    return this.write(slot, { ...record, code, address });
  }

  write(slot, record) {
    // Nothing worth keeping: the shipped snippet, unless the address bar still lags behind.
    const plain = slot !== SCRATCH && record.code === this.shipped(slot) && !record.previous
      && !record.name && (record.address == null || record.address === record.code);
    if (plain) {
      this.store.remove(slot);
      return true;
    }
    return this.store.save(slot, record);
  }

  /**
   * New code arrives in a slot (a link, a file).  The learner's saved code there becomes
   * `previous` when it is their work: edited since it arrived, not the shipped snippet.
   * Returns true when it did (the page then offers to bring it back).
   */
  arrive(slot, code, { name = null } = {}) {
    const saved = this.load(slot);
    if (saved && (saved.code === code || saved.address === code)) return false; // a reload
    const shipped = this.shipped(slot);
    let previous = saved?.previous ?? null;
    let replaced = false;
    if (saved && saved.code !== saved.base && saved.code !== shipped && saved.code.trim() !== "") {
      previous = { code: saved.code, savedAt: saved.savedAt ?? null, name: saved.name ?? null, older: true };
      replaced = true;
    }
    this.write(slot, { code, base: shipped ?? code, name, previous, address: code });
    return replaced;
  }

  /** Swap the slot's code with its `previous`; returns the code to show. */
  swapPrevious(slot) {
    const record = this.load(slot);
    if (!record?.previous) return record?.code ?? null;
    const { previous } = record;
    this.write(slot, {
      ...record,
      code: previous.code,
      name: previous.name ?? null,
      previous: { code: record.code, savedAt: record.savedAt ?? null, name: record.name ?? null, older: !previous.older },
    });
    return previous.code;
  }

  /** Forget the replaced code. */
  dismissPrevious(slot) {
    const record = this.load(slot);
    if (record?.previous) this.write(slot, { ...record, previous: null });
  }

  /** After Reset: the reset target becomes the base, so "updated" notes stop. */
  rebase(slot, code) {
    const record = this.load(slot);
    if (record) this.write(slot, { ...record, code, base: this.resetTarget(slot) });
  }

  /** The slot shown last, so that the plain playground.html opens where the learner left. */
  get current() {
    return slotId(this.store.storage.get("meta:playground-current"));
  }

  set current(slot) {
    this.store.storage.set("meta:playground-current", slot);
  }
}
