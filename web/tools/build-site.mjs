// Front-end half of the build, called by sitebuild/pipeline.py:  node build-site.mjs OUT_DIR CONFIG_JSON
//
// 1. esbuild bundles the worker, then the pages' modules and CSS (CodeMirror, KaTeX CSS
//    and fonts included), with content hashes in the file names.  Every page with cells
//    loads one small script, start.js, which starts the Python worker first and then
//    imports the page's own module (lesson.js or playground.js); the page's <head> names
//    that module and its chunks (CodeMirror's too, imported later) with <link
//    rel="modulepreload">, so they download while the page is parsed, not one after
//    another.  The CSS is written into each page's <head> (inlineStyles).
// 2. Each Markdown lesson in web/lessons/ becomes an HTML page (./markdown.mjs): math
//    typeset by KaTeX at build time, every ```python cell=NAME block a runnable cell.
//    index.md is the lesson (the site's root), examples.md the index of every page.
//    Cell names are unique across the site (snippets.json is keyed by them; exercises are
//    snippets named exercise-ID, and snippets.json's "exercises" holds their checks).  A
//    page without cells or exercises starts no Python: its one script is
//    progress-totals.js (the learner's exercise progress beside the links to the pages).

import { cp, readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { cellHTML, escapeHTML, exerciseCellId, renderLesson } from "./markdown.mjs";

const WEB = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [outDir, configJSON] = process.argv.slice(2);
const config = JSON.parse(configJSON);
const assetsDir = path.join(outDir, "assets");

const siteRelative = (file) => path.relative(outDir, file).split(path.sep).join("/");

function outputsOf(result) {
  const names = {};
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint) names[meta.entryPoint] = siteRelative(file);
  }
  return names;
}

/** An output file and every chunk it imports statically, transitively (metafile keys). */
function staticClosure(outputs, first) {
  const files = new Set();
  const visit = (file) => {
    if (files.has(file)) return;
    files.add(file);
    for (const { path: imported, kind } of outputs[file].imports) {
      if (kind === "import-statement") visit(imported);
    }
  };
  visit(first);
  return [...files];
}

/**
 * The <link> tags that fetch the modules a page will run, in the order it runs them: start.js's
 * imports, the page's module and its imports, then the chunks these import later (CodeMirror,
 * which the lesson evaluates only once the page is shown: the preload fetches it meanwhile).
 */
function modulePreloads(result, pageEntry) {
  const outputs = result.metafile.outputs;
  const entry = (name) => Object.keys(outputs).find((file) => outputs[file].entryPoint === name);
  const start = staticClosure(outputs, entry("web/js/pages/start.js"));
  const files = [...start, ...staticClosure(outputs, entry(pageEntry)).filter((file) => !start.includes(file))];
  for (const file of [...files]) {
    for (const { path: imported, kind } of outputs[file].imports) {
      if (kind !== "dynamic-import" || outputs[imported].entryPoint?.startsWith("web/js/pages/")) continue;
      for (const chunk of staticClosure(outputs, imported)) if (!files.includes(chunk)) files.push(chunk);
    }
  }
  return files.slice(1).map((file) => `<link rel="modulepreload" href="${siteRelative(file)}">`).join("\n");
}

async function bundle() {
  const common = {
    bundle: true,
    minify: true,
    sourcemap: "linked",
    format: "esm",
    target: ["es2022"],
    outdir: assetsDir,
    entryNames: "[name]-[hash]",
    metafile: true,
    logLevel: "warning",
    absWorkingDir: path.dirname(WEB),
    define: { LAB_CONFIG: JSON.stringify(config) },
  };
  const worker = await esbuild.build({ ...common, entryPoints: ["web/js/worker/python-worker.js"] });
  const workerFile = outputsOf(worker)["web/js/worker/python-worker.js"];
  const pages = await esbuild.build({
    ...common,
    entryPoints: [
      "web/js/pages/start.js", "web/js/pages/lesson.js", "web/js/pages/playground.js",
      "web/js/pages/progress-totals.js", "web/css/site.css",
    ],
    splitting: true,
    chunkNames: "chunk-[hash]",
    assetNames: "[name]-[hash]",
    loader: { ".woff2": "file", ".woff": "file", ".ttf": "file" },
    define: { ...common.define, WORKER_URL: JSON.stringify(workerFile) },
  });
  const names = outputsOf(pages);
  return {
    worker: workerFile,
    start: names["web/js/pages/start.js"],
    progressTotals: names["web/js/pages/progress-totals.js"],
    lessonPreloads: modulePreloads(pages, "web/js/pages/lesson.js"),
    playgroundPreloads: modulePreloads(pages, "web/js/pages/playground.js"),
    styles: await inlineStyles(names["web/css/site.css"]),
  };
}

/**
 * The site's stylesheet as a <style> element for the pages' <head>: the page is styled as
 * soon as it is parsed, without waiting for a second file (a fresh browser on a busy
 * machine took a tenth of a second or more to fetch it), and a script that measures the
 * page before that file arrived cannot make the browser lay the whole lesson out unstyled.
 * (About 38 kB, 8 kB gzipped, most of it KaTeX's.)  Its url()s (KaTeX's fonts) are made
 * relative to the pages, which are all at the site's root.
 */
async function inlineStyles(file) {
  const css = (await readFile(path.join(outDir, file), "utf8"))
    .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "")
    .replace(/url\((["']?)([^)"']+)\1\)/g, (match, quote, url) =>
      /^(?:[a-z]+:|\/|#)/i.test(url) ? match : `url(${quote}${path.posix.join(path.posix.dirname(file), url)}${quote})`);
  if (/<\/style/i.test(css)) throw new Error(`${file} cannot be inlined: it contains </style`);
  return `<style>\n${css.trim()}\n</style>`;
}

/**
 * A page template with its shared parts put in: a line `{{> NAME}}` becomes
 * web/templates/NAME.html (head.html: the <head>'s contents, header.html: the site's header).
 */
async function readTemplate(name) {
  const template = await readFile(path.join(WEB, "templates", name), "utf8");
  const parts = [...template.matchAll(/^\{\{> (\w+)\}\}\n/gm)].map((match) => match[1]);
  const html = new Map(await Promise.all(parts.map(async (part) =>
    [part, await readFile(path.join(WEB, "templates", `${part}.html`), "utf8")])));
  return template.replace(/^\{\{> (\w+)\}\}\n/gm, (_, part) => html.get(part));
}

function fill(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => {
    if (!(key in values)) throw new Error(`template needs a value for {{${key}}}`);
    return values[key];
  });
}

// What search engines show of a page (head.html's description).
const DESCRIPTION = {
  lesson: "Learn linear regression from scratch and run the Python in your browser.",
  playground: "Edit and run Python for linear regression in your browser: share it by link, download it, or open your own .py file.",
};

// The site's navigation, in the header of every page.
const NAV = [
  ["index.html", "Lesson"],
  ["examples.html", "Examples"],
  ["playground.html", "Full editor"],
];

function navHTML(current) {
  return NAV.map(([href, text]) =>
    `<a href="${href}"${href === current ? ' aria-current="page"' : ""}>${text}</a>`).join(" ");
}

/**
 * The page template for a page without cells: no Python (no status line, no preloads);
 * its one script is progress-totals.js, which writes the learner's exercise progress
 * beside the links to the pages (the examples index).
 */
function withoutPython(template) {
  const stripped = template
    .replace(/^[ \t]*\{\{modulePreloads\}\}\n/m, "")
    .replace(/^[ \t]*<p id="python-status"[^>]*>.*<\/p>\n/m, "");
  if (stripped.includes("{{modulePreloads}}") || stripped.includes("python-status")) {
    throw new Error("page.html (head.html, header.html): cannot drop the preloads and status line for a page without cells");
  }
  return stripped;
}

async function renderPages(assets) {
  const pageTemplate = await readTemplate("page.html");
  const playgroundTemplate = await readTemplate("playground.html");
  const lessonDir = path.join(WEB, "lessons");
  const common = { styles: assets.styles, buildId: config.buildId, pyodideVersion: config.pyodideVersion };
  const allCells = new Map();
  const allExercises = new Map();
  const pages = [];
  for (const file of (await readdir(lessonDir)).filter((f) => f.endsWith(".md")).sort()) {
    const source = await readFile(path.join(lessonDir, file), "utf8");
    let rendered;
    try {
      rendered = renderLesson(source);
    } catch (error) {
      throw new Error(`web/lessons/${file}: ${error.message}`);
    }
    const { html, title, cells, exercises } = rendered;
    const name = file.replace(/\.md$/, ".html");
    for (const [id, code] of cells) {
      if (allCells.has(id)) throw new Error(`web/lessons/${file}: cell ${id} is also on ${allCells.get(id).page}`);
      allCells.set(id, { code, page: name, title });
    }
    for (const [id, exercise] of exercises) {
      if (allExercises.has(id)) throw new Error(`web/lessons/${file}: exercise ${id} is also on ${allExercises.get(id).page}`);
      allExercises.set(id, { ...exercise, page: name });
    }
    const runnable = cells.size + exercises.size > 0;
    const template = runnable ? pageTemplate : withoutPython(pageTemplate);
    await writeFile(path.join(outDir, name), fill(template, {
      ...common,
      title: escapeHTML(title),
      content: html,
      script: runnable ? assets.start : assets.progressTotals,
      modulePreloads: assets.lessonPreloads,
      description: DESCRIPTION.lesson,
      nav: navHTML(name),
      pageClass: runnable ? "has-cells" : "no-cells",
    }));
    pages.push({ name, title, cells: [...cells.keys()], exercises: [...exercises.keys()] });
  }
  const main = allCells.get("main");
  if (!main) throw new Error("no lesson has a ```python cell=main block");
  if (main.page !== "index.html") throw new Error(`cell main must be on index.html (the site's root), not ${main.page}`);
  await writeFile(path.join(outDir, "playground.html"), fill(playgroundTemplate, {
    ...common,
    title: "Full editor",
    cell: cellHTML("playground", main.code, { title: "Full editor", toolbar: false, editable: false }),
    script: assets.start,
    modulePreloads: assets.playgroundPreloads,
    description: DESCRIPTION.playground,
    nav: navHTML("playground.html"),
  }));
  const snippets = Object.fromEntries([...allCells].map(([id, cell]) => [id, cell]));
  // Each exercise is a snippet too (its starter, under its cell's id: the full editor opens
  // it like any other), and its check, hints and solution are under exercises.
  const exercises = {};
  for (const [id, { title, hints, solution, check, starter, page }] of allExercises) {
    snippets[exerciseCellId(id)] = { code: starter, page, title: `Exercise: ${title}`, exercise: id };
    exercises[id] = { title, hints, solution, check, starter, page };
  }
  await writeFile(path.join(outDir, "snippets.json"),
    JSON.stringify({ buildId: config.buildId, pages, snippets, exercises }, null, 1));
  return pages;
}

await mkdir(assetsDir, { recursive: true });
// web/static/ is copied as it is to the site's root (the favicon).
await cp(path.join(WEB, "static"), outDir, { recursive: true });
const assets = await bundle();
const pages = await renderPages(assets);
console.log(`pages: ${pages.map((p) => p.name).join(", ")}, playground.html`);
