// The examples menu of the full editor: every snippet of the lesson's pages, from the
// catalog the build writes (snippets.json: {buildId, pages: [{name, title, cells,
// exercises}], snippets: {id: {code, page, title, exercise?}}, exercises: {id: {title,
// hints, solution, check, starter, page}}}), grouped by page, plus the learner's scratch
// code.  An exercise is the snippet exercise-ID (its starter), marked with its id.
//
// A native <details> disclosure: it opens with Enter/Space on its summary, its items are
// buttons, Escape or a click elsewhere closes it.

/**
 * Fetch and check the catalog.  Resolves with { pages, snippets } (pages keep the
 * catalog's order, each with the ids of its snippets), or with { error } when it could not
 * be read: the full editor then works without examples.
 */
export async function loadCatalog(url, { timeoutMs = 8000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, cache: "no-cache" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return normaliseCatalog(await response.json());
  } catch (error) {
    return { pages: [], snippets: {}, exercises: {}, error: error.name === "AbortError" ? "timed out" : error.message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Keep only well-formed entries; every snippet belongs to exactly one listed page.  The
 * lesson (index.html, the site's root) comes first, then the other pages in build order.
 */
export function normaliseCatalog(data) {
  const snippets = {};
  for (const [id, entry] of Object.entries(data?.snippets ?? {})) {
    if (entry && typeof entry.code === "string") snippets[id] = entry;
  }
  const exercises = {};
  for (const [id, entry] of Object.entries(data?.exercises ?? {})) {
    if (entry && typeof entry.check === "string" && Array.isArray(entry.hints)) exercises[id] = entry;
  }
  const pages = [];
  const listed = new Set();
  for (const page of Array.isArray(data?.pages) ? data.pages : []) {
    // A page's exercises are snippets too, named exercise-ID (after its cells in the menu).
    const pageExercises = (page.exercises ?? []).filter((id) => id in exercises);
    const cells = [...(page.cells ?? []), ...pageExercises.map((id) => `exercise-${id}`)]
      .filter((id) => id in snippets && !listed.has(id));
    cells.forEach((id) => listed.add(id));
    if (cells.length) pages.push({ name: page.name, title: page.title || page.name, cells, exercises: pageExercises });
  }
  pages.sort((a, b) => (b.name === "index.html") - (a.name === "index.html"));
  const rest = Object.keys(snippets).filter((id) => !listed.has(id));
  if (rest.length) pages.push({ name: "", title: "More examples", cells: rest });
  return { buildId: data?.buildId ?? "", pages, snippets, exercises };
}

/** The page a snippet is on, as { name, title }, or null. */
export function pageOf(catalog, id) {
  return catalog.pages.find((page) => page.cells.includes(id)) ?? null;
}

/**
 * A snippet's name for people: its own title when the catalog gives one (other than its
 * page's), else the heading of the lesson section it sits in (see addSectionTitles), else
 * its id.
 */
export function snippetTitle(catalog, id) {
  const snippet = catalog.snippets[id];
  const page = pageOf(catalog, id);
  if (snippet?.title && snippet.title !== page?.title) return snippet.title;
  return catalog.sections?.get(id)?.title ?? id;
}

/** Where to read a snippet in the lesson: its page, at its section when known. */
export function snippetHref(catalog, id) {
  const page = pageOf(catalog, id);
  if (!page?.name) return null;
  const anchor = catalog.sections?.get(id)?.anchor;
  return anchor ? `${page.name}#${encodeURIComponent(anchor)}` : page.name;
}

/** A heading's text, with KaTeX math read back from its TeX ("R^2" becomes "R²"). */
function headingText(heading) {
  const copy = heading.cloneNode(true);
  for (const math of copy.querySelectorAll(".katex")) {
    const tex = math.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? math.textContent;
    math.replaceWith(tex
      .replace(/\^\{?2\}?/g, "²")
      .replace(/\^\{?3\}?/g, "³")
      .replace(/\\[a-zA-Z]+\s*/g, "")
      .replace(/[{}]/g, ""));
  }
  return copy.textContent.replace(/\s+/g, " ").trim();
}

/**
 * Name each snippet after the heading it sits under in its page (the pages are fetched and
 * read, not run).  Sets catalog.sections = Map(id -> { title, anchor }); a second snippet
 * under the same heading gets "(2)".  Pages that cannot be read are skipped.
 */
export async function addSectionTitles(catalog, base) {
  const sections = new Map();
  await Promise.all(catalog.pages.filter((page) => page.name).map(async (page) => {
    let doc;
    try {
      const response = await fetch(new URL(page.name, base), { cache: "no-cache" });
      if (!response.ok) return;
      doc = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      return;
    }
    const seen = new Map();
    let heading = null;
    for (const node of doc.querySelectorAll("h1, h2, h3, h4, .cell[data-cell-id]")) {
      if (!node.matches(".cell")) {
        heading = node;
        continue;
      }
      const id = node.dataset.cellId;
      if (!heading || !page.cells.includes(id)) continue;
      const text = headingText(heading);
      const n = (seen.get(text) ?? 0) + 1;
      seen.set(text, n);
      sections.set(id, { title: n === 1 ? text : `${text} (${n})`, anchor: heading.id || null });
    }
  }));
  catalog.sections = sections;
  return catalog;
}

function lineCount(code) {
  const n = code.replace(/\n$/, "").split("\n").length;
  return n === 1 ? "1 line" : `${n} lines`;
}

export class ExamplesMenu {
  /**
   * Builds the menu in `container`; onPick(id) gets a snippet id or "scratch"; onOpen() is
   * called as it opens, before focus moves into it (to render the items afresh).
   */
  constructor(container, { onPick, onOpen }) {
    this.onPick = onPick;
    this.details = document.createElement("details");
    this.details.className = "examples-menu";
    this.summary = document.createElement("summary");
    this.summary.textContent = "Load example";
    this.summary.title = "Load a snippet of the lesson or of the examples into the editor";
    this.panel = document.createElement("div");
    this.panel.className = "examples-panel";
    this.panel.setAttribute("role", "group");
    this.panel.setAttribute("aria-label", "Examples to load");
    this.details.append(this.summary, this.panel);
    container.append(this.details);

    this.panel.addEventListener("click", (event) => {
      const item = event.target.closest("button[data-snippet]");
      if (!item) return;
      this.close();
      this.onPick(item.dataset.snippet);
    });
    this.details.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.details.open) {
        event.preventDefault();
        this.close();
        this.summary.focus();
      }
    });
    this.details.addEventListener("toggle", () => {
      if (!this.details.open) return;
      onOpen?.();
      (this.panel.querySelector("button[aria-current='true']") ?? this.panel.querySelector("button"))?.focus();
    });
    document.addEventListener("pointerdown", (event) => {
      if (this.details.open && !this.details.contains(event.target)) this.close();
    });
  }

  close() {
    this.details.open = false;
  }

  /**
   * (Re)draw the items.  state: { current: id, edited: Set of ids with saved edits,
   * scratch: null or { title } (the learner's code from a link or a file) }.
   */
  render(catalog, { current, edited, scratch }) {
    const parts = [];
    if (catalog.error) {
      const p = document.createElement("p");
      p.className = "examples-problem";
      p.textContent = `The list of examples could not be loaded (${catalog.error}). Reload the page to try again.`;
      parts.push(p);
    }
    if (scratch) {
      parts.push(this.group("Your code", [
        this.item("scratch", scratch.title, "from a shared link or a file", current === "scratch", false),
      ]));
    }
    for (const page of catalog.pages) {
      parts.push(this.group(page.title, page.cells.map((id) => {
        const code = catalog.snippets[id].code;
        return this.item(id, snippetTitle(catalog, id), `${id} · ${lineCount(code)}`,
          current === id, edited.has(id));
      })));
    }
    this.panel.replaceChildren(...parts);
  }

  group(title, items) {
    const section = document.createElement("section");
    const heading = document.createElement("h2");
    heading.textContent = title;
    const list = document.createElement("ul");
    for (const item of items) {
      const li = document.createElement("li");
      li.append(item);
      list.append(li);
    }
    section.append(heading, list);
    return section;
  }

  item(id, title, detail, current, edited) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.snippet = id;
    if (current) button.setAttribute("aria-current", "true");
    const name = document.createElement("span");
    name.className = "example-title";
    name.textContent = title;
    button.append(name);
    if (edited) {
      const badge = document.createElement("span");
      badge.className = "example-badge";
      badge.textContent = "your edits";
      button.append(" ", badge);
    }
    if (current) {
      const badge = document.createElement("span");
      badge.className = "example-badge example-current";
      badge.textContent = "open now";
      button.append(" ", badge);
    }
    const more = document.createElement("span");
    more.className = "example-detail";
    more.textContent = detail;
    button.append(more);
    return button;
  }
}
