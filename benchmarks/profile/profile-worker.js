// Boot Pyodide the way the site's worker does (web/js/worker/python-worker.js), but one
// step at a time, timing each: where do the seconds before "ready" go, and what would it
// cost to have scikit-learn ready too?  Posts { steps: [{ step, ms }], stderr, ... }.
//
// Options (from profile/index.html's query): repair=0 skips lab_runner's font-cache
// repair (to see the rebuild it prevents); precompile=1 byte-compiles site-packages
// after each install, outside the timed steps (to see what .pyc files would save).

const steps = [];
const stderr = [];
let last = performance.now();

function mark(step) {
  const now = performance.now();
  steps.push({ step, ms: Math.round((now - last) * 10) / 10 });
  last = now;
}

/** The site's lock, with its own wheels' relative paths made absolute (as the worker does). */
async function lockBlobURL(lockURL) {
  const lock = await (await fetch(lockURL)).json();
  for (const entry of Object.values(lock.packages)) {
    if (entry.file_name.includes("/")) entry.file_name = new URL(entry.file_name, lockURL).href;
  }
  return URL.createObjectURL(new Blob([JSON.stringify(lock)], { type: "application/json" }));
}

// Python: how long compiling the source of every module imported so far takes, split by
// where it lives.  Pyodide 0.27's wheels and python_stdlib.zip ship .py files only, so
// every session compiles all of this; py-compiled (.pyc) packages would not.
const COMPILE_COST = `
import sys, time
def _compile_cost():
    cost, count, cached = {"stdlib": 0.0, "site-packages": 0.0}, {"stdlib": 0, "site-packages": 0}, 0
    for module in list(sys.modules.values()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or ""
        if origin.endswith(".pyc"):
            cached += 1
            continue
        if not origin.endswith(".py") or spec.loader is None:
            continue
        try:
            source = spec.loader.get_source(module.__name__)
        except Exception:
            continue
        if source is None:
            continue
        where = "site-packages" if "site-packages" in origin else "stdlib"
        start = time.perf_counter()
        compile(source, origin, "exec")
        cost[where] += time.perf_counter() - start
        count[where] += 1
    return {"seconds": cost, "modules": count, "pyc_modules": cached}
_compile_cost()
`;

// Python: the main snippet's figure, saved the way lab_runner does (bbox_inches="tight",
// which draws the figure an extra time to measure it) and without the tight box.  One
// draw first (caches warm), then each way twice, alternating; the faster of each.
const FIGURE_COST = `
import io, time
import matplotlib.pyplot as plt
from lab_runner.figures import figure_png
def _figure_cost():
    figure = plt.gcf()
    figure.canvas.draw()
    times = {"tight": [], "plain": []}
    for _ in range(2):
        start = time.perf_counter()
        figure.savefig(io.BytesIO(), format="png", dpi=100)
        times["plain"].append(time.perf_counter() - start)
        start = time.perf_counter()
        figure_png(figure)
        times["tight"].append(time.perf_counter() - start)
    plt.close("all")
    return {name: min(values) for name, values in times.items()}
_figure_cost()
`;

// Python: byte-compile everything installed in site-packages (into __pycache__, in the
// worker's memory), as py-compiled wheels would ship it.  Not a boot step: it only shows
// what imports cost once no source has to be compiled.
const COMPILE_SITE_PACKAGES = `
import compileall, site
compileall.compile_dir(site.getsitepackages()[0], quiet=2)
`;

async function profile({ indexURL, lockFileURL, snippetsURL, snippet, preload, env, repair, precompile }) {
  const started = performance.now();
  last = started;
  const [{ loadPyodide }, lockURL, snippets] = await Promise.all([
    import(/* @vite-ignore */ `${indexURL}pyodide.mjs`),
    lockBlobURL(lockFileURL),
    fetch(snippetsURL).then((response) => response.json()),
  ]);
  mark("fetch pyodide.mjs, the lock and the snippets");
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL: lockURL,
    env, // the page worker's (sitebuild/config.py, WORKER_ENV), passed by boot_profile.py
    stderr: (text) => stderr.push(text),
  });
  mark("loadPyodide (core only: wasm, stdlib, interpreter start)");
  const quiet = { messageCallback: () => {}, errorCallback: (text) => stderr.push(text) };
  await pyodide.loadPackage(preload, quiet);
  mark(`loadPackage(${preload.join(", ")}) (download + install)`);
  if (precompile) {
    pyodide.runPython(COMPILE_SITE_PACKAGES);
    last = performance.now(); // not a boot step
  }
  pyodide.runPython("import lab_runner");
  mark("import lab_runner");
  let rewritten = null;
  if (repair) {
    rewritten = pyodide.runPython("from lab_runner.figures import repair_font_cache; repair_font_cache()");
    mark("lab_runner.figures.repair_font_cache()");
  }
  pyodide.runPython("import numpy");
  mark("import numpy");
  const stderrBefore = stderr.length;
  pyodide.runPython("import matplotlib.pyplot");
  const fontCacheMessages = stderr.slice(stderrBefore).filter((line) => /font cache/i.test(line));
  mark("import matplotlib.pyplot");
  pyodide.runPython("from lab_runner.runner import draw_warm_up_figure; draw_warm_up_figure()");
  mark("first figure rendered to PNG (what warm_up draws)");
  const readyMs = performance.now() - started;
  const compileBeforeReady = pyodide.runPython(COMPILE_COST).toJs({ dict_converter: Object.fromEntries });
  last = performance.now(); // not a boot step
  await pyodide.loadPackage(["scikit-learn"], quiet);
  mark("loadPackage(scikit-learn) (download + install, with scipy, openblas, joblib, threadpoolctl)");
  if (precompile) {
    pyodide.runPython(COMPILE_SITE_PACKAGES);
    last = performance.now(); // not a boot step
  }
  pyodide.runPython("import sklearn.linear_model");
  mark("import sklearn.linear_model");
  const code = snippets.snippets[snippet].code;
  const runner = pyodide.pyimport("lab_runner");
  const outputs = [];
  const emit = (event) => {
    const { type, name, text } = event.toJs({ dict_converter: Object.fromEntries });
    outputs.push(type === "stream" ? `${name}:${text.length}` : type);
  };
  await pyodide.loadPackagesFromImports(code, quiet);
  mark(`loadPackagesFromImports(${snippet}) (nothing left to load)`);
  let result = runner.run_cell(code, "profile", emit).toJs({ dict_converter: Object.fromEntries });
  mark(`first run of ${snippet} (run_cell, figure included)`);
  const firstStatus = result.status;
  result = runner.run_cell(code, "profile", emit).toJs({ dict_converter: Object.fromEntries });
  mark(`second run of ${snippet}`);
  // Once more, keeping the figure (plt.show() would send and close it) to time its PNG.
  pyodide.runPython("import matplotlib.pyplot as plt; _show = plt.show; plt.show = lambda *a, **k: None");
  runner.run_cell.callKwargs(code, "profile", emit, { send_figures: false });
  pyodide.runPython("plt.show = _show");
  const figureCost = pyodide.runPython(FIGURE_COST).toJs({ dict_converter: Object.fromEntries });
  const compileAll = pyodide.runPython(COMPILE_COST).toJs({ dict_converter: Object.fromEntries });
  return {
    steps,
    readyMs: Math.round(readyMs),
    totalMs: Math.round(performance.now() - started),
    repairedFontCache: Boolean(repair),
    precompiled: Boolean(precompile),
    fontCacheRewritten: rewritten,
    compileBeforeReady,
    compileAll,
    figureCost,
    fontCacheMessages,
    runStatus: [firstStatus, result.status],
    figures: outputs.filter((kind) => kind === "figure").length,
    stderr: stderr.slice(0, 20),
  };
}

self.onmessage = async ({ data }) => {
  try {
    self.postMessage(await profile(data));
  } catch (error) {
    self.postMessage({ error: String(error.message ?? error), steps, stderr: stderr.slice(0, 20) });
  }
};
