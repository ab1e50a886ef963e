// The lessons' Markdown, rendered the one way the build and the tests both use.
//
//   renderLesson(source) -> { html, title, cells: Map(id -> code), exercises: Map(id -> exercise) }
//
// - $…$ and $$…$$ are typeset by KaTeX at build time (throwOnError: a TeX mistake stops
//   the build, it never reaches a learner as raw TeX);
// - a ```python cell=NAME fence becomes a runnable cell (static HTML until the page's
//   script turns it into an editor);
// - a ```widget NAME fence becomes an interactive figure, a ```question id=NAME fence a
//   "predict, then run" question (explore-blocks.mjs);
// - a ```python exercise=ID fence becomes a checked exercise: its code is the starter, and
//   web/lessons/exercises/ID.md holds its title, hints, solution, check and known mistakes
//   (loadExercise reads and validates it; exerciseHTML draws it);
// - headings get ids (slugs of their text), so sections can be linked to.
//
// Run directly, it prints every lesson's cells as JSON, which the CPython tests read so
// they always run the snippets exactly as shipped:
//   node web/tools/markdown.mjs web/lessons/*.md
//     ->  { "index.md": { cells: [{ id, code }], exercises: [{ id, starter, title, hints,
//                          solution, check, mistakes: [{ id, accepted, code }] }] }, ... }

import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import MarkdownIt from "markdown-it";
import markdownItKatex from "@vscode/markdown-it-katex";
import { answerQuestions, checkQuestionsAnswered, exploreFence, isExploreFence } from "./explore-blocks.mjs";

const CELL_FENCE = /^python\s+cell=([\w-]+)\s*$/;
const EXERCISE_FENCE = /^python\s+exercise=([a-z0-9]+(?:-[a-z0-9]+)*)\s*$/;

export function escapeHTML(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function unescapeHTML(text) {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[name]);
}

/**
 * Code as the page shows it before its editor is built, laid out exactly like the editor
 * (cells.css), with --digits, the width of the line numbers.
 *
 * Editable (a lesson page's first cell): a <textarea> the learner can type in from the first
 * paint, before any script has run (CodeMirror takes its text, caret and focus over when
 * it arrives, web/js/cell.js), beside a column of line numbers hidden from screen readers.
 * The parser drops a newline right after <textarea>, so one is written before the code:
 * its value is the code, exactly.
 *
 * Not editable (the lesson's other cells, the full editor): one span per line in a <pre>,
 * numbered by CSS, so copying the text copies only the code; its textContent is the code,
 * exactly.
 */
export function sourceHTML(code, { editable = false } = {}) {
  const lines = code.split("\n");
  const digits = String(lines.length).length;
  if (editable) {
    const numbers = lines.map((_, index) => index + 1).join("\n");
    return (
      `<div class="cell-source" style="--digits:${digits}">` +
      `<pre class="cell-gutter" aria-hidden="true">${numbers}</pre>` +
      `<textarea class="cell-code" rows="${lines.length}" wrap="off" spellcheck="false" autocomplete="off" ` +
      `autocapitalize="off" autocorrect="off" translate="no" aria-label="Python code, Ctrl+Enter runs it. Tab indents; Esc, then Tab, leaves the code box">\n` +
      `${escapeHTML(code)}</textarea></div>`
    );
  }
  const spans = lines.map((line) => `<span class="line">${escapeHTML(line)}</span>`).join("\n");
  return `<pre class="cell-source" style="--digits:${digits}"><code class="language-python">${spans}</code></pre>`;
}

/**
 * A cell as static HTML: the code is readable, copyable and (editable: a page's first cell)
 * editable before any script runs.  The toolbar is there from the start too (its buttons
 * disabled until cell.js takes over), so nothing moves when the page's script arrives.
 * The full editor builds its own toolbar (toolbar: false).
 */
export function cellHTML(id, code, { title = "", toolbar = true, editable = false } = {}) {
  const buttons = toolbar
    ? '<button type="button" class="run" disabled>Run</button>' +
      '<button type="button" class="reset" disabled>Reset</button>' +
      `<a class="open-full" href="playground.html#from=${encodeURIComponent(id)}">Open in full editor</a>` +
      '<span class="cell-status"></span>'
    : "";
  return (
    `<section class="cell" data-cell-id="${escapeHTML(id)}"${title ? ` aria-label="${escapeHTML(title)}"` : ""}>\n` +
    `<div class="cell-editor">${sourceHTML(code, { editable })}</div>\n` +
    `<div class="cell-toolbar">${buttons}</div>\n<div class="cell-output" hidden></div>\n</section>\n`
  );
}

/** An exercise's cell id (its namespace, its file name in tracebacks): apart from the
 * lesson's cells, so an exercise may share its name with the cell it follows. */
export function exerciseCellId(id) {
  return `exercise-${id}`;
}

/**
 * A checked exercise as static HTML: the cell (data-cell-id exerciseCellId(id); an editable
 * code box holding the starter, the usual toolbar), marked data-exercise-id, with what the page needs to check it, as
 * JSON in a <script type="application/json" class="exercise-data">:
 *   { title, hints: [html, ...] (progressive; the last is the solution's lead-in),
 *     solution: python, check: python }
 * The page sends { exercise: id, source: check } with each Run (protocol.js, run.check).
 * "<" is escaped in the JSON so no text in it can close the script element.
 */
export function exerciseHTML(exercise, starter) {
  const data = { title: exercise.title, hints: exercise.hints, solution: exercise.solution, check: exercise.check };
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  const cell = cellHTML(exerciseCellId(exercise.id), starter, { title: `Exercise: ${exercise.title}`, editable: true });
  return cell
    .replace(/^<section class="cell"/, `<section class="cell exercise" data-exercise-id="${escapeHTML(exercise.id)}"`)
    .replace(/<\/section>\n$/, `<script type="application/json" class="exercise-data">${json}</script>\n</section>\n`);
}

/** "Three ways to the same line" -> "three-ways-to-the-same-line". */
export function slug(text) {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[\s_]+/g, "-")
    .replace(/-+/g, "-");
}

function headingIds(md) {
  md.core.ruler.push("heading_ids", (state) => {
    const used = new Set();
    state.tokens.forEach((token, index) => {
      if (token.type !== "heading_open" || token.attrGet("id")) return;
      const inline = state.tokens[index + 1];
      const words = inline.children
        .filter((child) => child.type === "text" || child.type === "code_inline")
        .map((child) => child.content)
        .join("");
      let id = slug(words) || "section";
      for (let n = 2; used.has(id); n += 1) id = `${slug(words)}-${n}`;
      used.add(id);
      token.attrSet("id", id);
    });
  });
}

/**
 * A rough guess of a section's height on a wide screen, in px: the browser uses it until it
 * has laid the section out (lesson.css), so that the page's length and the scroll bar
 * are about right from the start.  Lines of text at ~100 characters, code at 21 px a line
 * (at most 70% of a screen tall, as its editor), formulas, headings.
 */
function guessHeight(tokens) {
  const lines = (text) => Math.max(1, Math.ceil(text.length / 100));
  let height = 0;
  for (const token of tokens) {
    if (token.type === "heading_open") height += token.tag === "h2" ? 60 : 50;
    else if (token.type === "inline") height += lines(token.content) * 27 + (token.level === 1 ? 17 : 5);
    else if (token.type === "math_block") height += 70;
    else if (token.type === "fence") height += Math.min(token.content.split("\n").length * 21 + 8, 630) + 70;
  }
  return Math.round(height / 50) * 50;
}

/**
 * Each part of a page that starts with a top-level ## heading goes in its own
 * <section class="lesson-section">: lesson.css lets the browser skip laying out the
 * sections out of view (content-visibility), which makes a long lesson open faster.
 */
function sectionWrappers(md) {
  md.core.ruler.push("lesson_sections", (state) => {
    const html = (content) => Object.assign(new state.Token("html_block", "", 0), { content, block: true });
    const starts = state.tokens.flatMap((token, index) =>
      token.type === "heading_open" && token.tag === "h2" && token.level === 0 ? [index] : []);
    if (!starts.length) return;
    const tokens = state.tokens.slice(0, starts[0]);
    starts.forEach((start, n) => {
      const part = state.tokens.slice(start, starts[n + 1] ?? state.tokens.length);
      const size = `contain-intrinsic-block-size:auto ${guessHeight(part)}px`;
      const opening = n === 0 ? " lesson-opening" : ""; // (laid out at once, see lesson.css)
      tokens.push(html(`<section class="lesson-section${opening}" style="${size}">\n`), ...part, html("</section>\n"));
    });
    state.tokens = tokens;
  });
}

/**
 * The lesson's HTML, title, runnable cells and exercises.  An exercise fence's ID must have
 * its file in exerciseDir (web/lessons/exercises/ID.md), parsed and validated there.
 */
// ---------------------------------------------------------------------------- exercises

export const EXERCISE_DIR = fileURLToPath(new URL("../lessons/exercises/", import.meta.url));
const SECTIONS = ["Hints", "Solution", "Check", "Mistakes"];
const MISTAKE_HEADING = /^([a-z0-9]+(?:-[a-z0-9]+)*)(\s+\(accepted\))?$/;

function newMarkdown() {
  const md = new MarkdownIt({ html: true, typographer: true });
  // The plugin catches KaTeX's errors and draws them in the page (class katex-error);
  // renderLesson looks for that and stops instead.  strict: "error" also refuses input
  // KaTeX would only warn about (e.g. a "²" typed inside math), which renders badly.
  md.use(markdownItKatex.default ?? markdownItKatex, { throwOnError: true, strict: "error" });
  return md;
}

function checkKatex(html) {
  const mistake = /class="(?:katex-block )?katex-error" title="([^"]*)">([^<]*)</.exec(html);
  if (mistake) throw new Error(`KaTeX cannot typeset ${unescapeHTML(mistake[1])}: ${unescapeHTML(mistake[2])}`);
}

/** The source of each part of `text` that starts with a heading of `level` (2: "## "). */
function splitByHeadings(text, level) {
  const parts = [];
  const marker = `${"#".repeat(level)} `;
  let inFence = false; // a "## " inside a code fence is Python, not a heading
  for (const line of text.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && line.startsWith(marker)) parts.push({ heading: line.slice(marker.length).trim(), lines: [] });
    else if (parts.length) parts.at(-1).lines.push(line);
  }
  return parts.map(({ heading, lines }) => ({ heading, body: lines.join("\n") }));
}

/** The code of the one ```python fence in `body`, or an error naming `where`. */
function onePythonFence(md, body, where) {
  const fences = md.parse(body, {}).filter((token) => token.type === "fence");
  if (fences.length !== 1 || fences[0].info.trim() !== "python") {
    throw new Error(`${where} must hold exactly one \`\`\`python fence (found ${fences.length} fences)`);
  }
  return fences[0].content;
}

/** Each item of the first ordered list in `body`, rendered to HTML (math typeset). */
function orderedListItems(md, body) {
  const tokens = md.parse(body, {});
  const items = [];
  let depth = 0;
  let start = -1;
  for (const [index, token] of tokens.entries()) {
    if (token.type === "ordered_list_open" && depth === 0 && items.length === 0 && start === -1) depth = 1;
    else if (depth && token.type === "list_item_open" && token.level === 1) start = index + 1;
    else if (depth && token.type === "list_item_close" && token.level === 1) {
      items.push(md.renderer.render(tokens.slice(start, index), md.options, {}).trim());
    } else if (depth && token.type === "ordered_list_close" && token.level === 0) break;
  }
  return items;
}

/**
 * Parse one exercise file (see README "How to write an exercise"):
 *   # Title
 *   ## Hints      an ordered list, from a first nudge to the step before the solution
 *   ## Solution   one ```python fence
 *   ## Check      one ```python fence, run after the learner's code (lab_runner.checking)
 *   ## Mistakes   ### mistake-id, or ### mistake-id (accepted) for a mistake that passes
 *                 with a note; each with one ```python fence of the wrong code
 * Returns { id, title, hints: [html], solution, check, mistakes: [{ id, accepted, code }] }.
 */
export function parseExercise(id, text, where = `web/lessons/exercises/${id}.md`) {
  const md = newMarkdown();
  const fail = (message) => { throw new Error(`${where}: ${message}`); };
  const title = /^\s*#\s+(.+)/.exec(text)?.[1].trim();
  if (!title) fail("the file must start with a # Title line");
  const sections = new Map(splitByHeadings(text, 2).map(({ heading, body }) => [heading, body]));
  for (const name of SECTIONS) if (!sections.has(name)) fail(`the ## ${name} section is missing`);
  for (const name of sections.keys()) {
    if (!SECTIONS.includes(name)) fail(`unknown section ## ${name} (the sections are ${SECTIONS.join(", ")})`);
  }
  const hints = orderedListItems(md, sections.get("Hints"));
  if (hints.length < 2) fail("## Hints needs an ordered list of at least two hints (1. a nudge, 2. more concrete)");
  hints.forEach(checkKatex);
  const mistakes = splitByHeadings(sections.get("Mistakes"), 3).map(({ heading, body }) => {
    const match = MISTAKE_HEADING.exec(heading);
    if (!match) fail(`cannot read the mistake heading ### ${heading} (write ### mistake-id or ### mistake-id (accepted))`);
    return { id: match[1], accepted: Boolean(match[2]), code: onePythonFence(md, body, `${where}: mistake ${match[1]}`) };
  });
  if (!mistakes.length) fail("## Mistakes needs at least one ### mistake-id with the wrong code");
  const ids = mistakes.map((mistake) => mistake.id);
  const repeated = ids.find((name, index) => ids.indexOf(name) !== index);
  if (repeated) fail(`two mistakes are named ${repeated}`);
  return {
    id,
    title,
    hints,
    solution: onePythonFence(md, sections.get("Solution"), `${where}: ## Solution`),
    check: onePythonFence(md, sections.get("Check"), `${where}: ## Check`),
    mistakes,
  };
}

/** The exercise ID from web/lessons/exercises/ID.md (in `dir`); a sentence if it is missing. */
export function loadExercise(id, dir = EXERCISE_DIR) {
  const file = path.join(dir, `${id}.md`);
  const where = `web/lessons/exercises/${id}.md`;
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`the exercise fence names ${id}, but there is no ${where} with its hints, solution and check`);
  }
  return parseExercise(id, text, where);
}

// ---------------------------------------------------------------------------- lessons

export function renderLesson(source, { exerciseDir = EXERCISE_DIR } = {}) {
  const cells = new Map();
  const exercises = new Map();
  const questions = [];
  const md = newMarkdown();
  md.use(headingIds);
  md.use(sectionWrappers);
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const info = token.info.trim();
    if (isExploreFence(info)) return exploreFence(info, token.content, md, questions);
    const exercise = EXERCISE_FENCE.exec(info);
    if (exercise) {
      const id = exercise[1];
      if (exercises.has(id)) throw new Error(`two exercise fences are named ${id}`);
      const found = loadExercise(id, exerciseDir);
      exercises.set(id, { ...found, starter: token.content });
      return exerciseHTML(found, token.content);
    }
    if (/\bexercise=/.test(info)) {
      throw new Error(`cannot read the exercise fence \`\`\`${info} (write \`\`\`python exercise=ID, ID in kebab-case)`);
    }
    const match = CELL_FENCE.exec(info);
    if (!match) {
      if (/\bcell=/.test(info)) throw new Error(`cannot read the cell fence \`\`\`${info} (write \`\`\`python cell=NAME)`);
      return fence(tokens, index, options, env, self);
    }
    const id = match[1];
    if (cells.has(id)) throw new Error(`two cells are named ${id}`);
    if (id.startsWith("exercise-")) throw new Error(`cell ${id}: names starting with exercise- are for exercises`);
    cells.set(id, token.content);
    answerQuestions(questions, id);
    // The page's first cell, where a learner starts, can be typed in from the first paint;
    // the others are text until their editor is built (each textarea costs the browser's
    // first layout a few milliseconds, even in a section out of view).
    return cellHTML(id, token.content, { editable: cells.size === 1 });
  };
  const html = md.render(source);
  checkQuestionsAnswered(questions);
  checkKatex(html);
  const title = /^#\s+(.+)$/m.exec(source)?.[1] ?? "Linear Regression Lab";
  return { html, title, cells, exercises, questions };
}

// CLI: the cells of the files named on the command line, as JSON
// (with --questions first: their questions instead).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = {};
  const wantQuestions = process.argv[2] === "--questions";
  for (const file of process.argv.slice(wantQuestions ? 3 : 2)) {
    try {
      const { cells, exercises, questions } = renderLesson(await readFile(file, "utf8"));
      result[path.basename(file)] = wantQuestions
        ? questions
        : { cells: [...cells].map(([id, code]) => ({ id, code })), exercises: [...exercises.values()] };
    } catch (error) {
      process.stderr.write(`${file}: ${error.message}\n`);
      process.exit(1);
    }
  }
  process.stdout.write(JSON.stringify(result));
}
