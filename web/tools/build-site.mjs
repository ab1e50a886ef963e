// Front-end half of the build, called by build.py:  node build-site.mjs OUT_DIR CONFIG_JSON
//
// 1. esbuild bundles the worker, then the pages' modules and CSS (CodeMirror, KaTeX CSS
//    and fonts included), with content hashes in the file names.
// 2. Each Markdown lesson in web/lessons/ becomes an HTML page: math typeset by KaTeX at
//    build time, and every ```python cell=NAME block turned into a runnable cell.

import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import MarkdownIt from "markdown-it";
import markdownItKatex from "@vscode/markdown-it-katex";

const WEB = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [outDir, configJSON] = process.argv.slice(2);
const config = JSON.parse(configJSON);
const assetsDir = path.join(outDir, "assets");

function outputsOf(result) {
  const names = {};
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint) names[meta.entryPoint] = path.relative(outDir, file).split(path.sep).join("/");
  }
  return names;
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
    entryPoints: ["web/js/pages/lesson.js", "web/js/pages/playground.js", "web/css/site.css"],
    splitting: true,
    chunkNames: "chunk-[hash]",
    assetNames: "[name]-[hash]",
    loader: { ".woff2": "file", ".woff": "file", ".ttf": "file" },
    define: { ...common.define, WORKER_URL: JSON.stringify(workerFile) },
  });
  const names = outputsOf(pages);
  return {
    worker: workerFile,
    lesson: names["web/js/pages/lesson.js"],
    playground: names["web/js/pages/playground.js"],
    css: names["web/css/site.css"],
  };
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** A cell as static HTML: the code is readable (and copyable) before any script runs. */
export function cellHTML(id, code, title = "") {
  return (
    `<section class="cell" data-cell-id="${escapeHTML(id)}"${title ? ` aria-label="${escapeHTML(title)}"` : ""}>\n` +
    `<div class="cell-editor"><pre class="cell-source"><code class="language-python">${escapeHTML(code)}</code></pre></div>\n` +
    `<div class="cell-toolbar"></div>\n<div class="cell-output" hidden></div>\n</section>\n`
  );
}

function markdownRenderer(cells) {
  const md = new MarkdownIt({ html: true, typographer: true });
  md.use(markdownItKatex.default ?? markdownItKatex, { throwOnError: true });
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const match = /^python\s+cell=([\w-]+)/.exec(token.info.trim());
    if (!match) return fence(tokens, index, options, env, self);
    const id = match[1];
    if (cells.has(id)) throw new Error(`two cells are named ${id}`);
    cells.set(id, token.content);
    return cellHTML(id, token.content);
  };
  return md;
}

function fill(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => {
    if (!(key in values)) throw new Error(`template needs a value for {{${key}}}`);
    return values[key];
  });
}

async function renderPages(assets) {
  const pageTemplate = await readFile(path.join(WEB, "templates", "page.html"), "utf8");
  const playgroundTemplate = await readFile(path.join(WEB, "templates", "playground.html"), "utf8");
  const lessonDir = path.join(WEB, "lessons");
  const common = { css: assets.css, buildId: config.buildId, pyodideVersion: config.pyodideVersion };
  const allCells = new Map();
  const pages = [];
  for (const file of (await readdir(lessonDir)).filter((f) => f.endsWith(".md")).sort()) {
    const source = await readFile(path.join(lessonDir, file), "utf8");
    const cells = new Map();
    const html = markdownRenderer(cells).render(source);
    const title = /^#\s+(.+)$/m.exec(source)?.[1] ?? "Linear Regression Lab";
    const name = file.replace(/\.md$/, ".html");
    for (const [id, code] of cells) allCells.set(id, { code, page: name, title });
    await writeFile(path.join(outDir, name), fill(pageTemplate, {
      ...common, title: escapeHTML(title), content: html, script: assets.lesson,
    }));
    pages.push({ name, title, cells: [...cells.keys()] });
  }
  const main = allCells.get("main");
  if (!main) throw new Error("no lesson has a ```python cell=main block");
  await writeFile(path.join(outDir, "playground.html"), fill(playgroundTemplate, {
    ...common, title: "Full editor", cell: cellHTML("playground", main.code, "Full editor"), script: assets.playground,
  }));
  const snippets = Object.fromEntries([...allCells].map(([id, cell]) => [id, cell]));
  await writeFile(path.join(outDir, "snippets.json"), JSON.stringify({ buildId: config.buildId, pages, snippets }, null, 1));
  return pages;
}

await mkdir(assetsDir, { recursive: true });
const assets = await bundle();
const pages = await renderPages(assets);
console.log(`pages: ${pages.map((p) => p.name).join(", ")}, playground.html`);
