// The naive baseline page (see index.html): Pyodide on the main thread, packages on Run.
//
// Query parameters (set by benchmarks/page.py): `index`, the Pyodide folder relative to
// the site's root (default pyodide/v0.27.7/); `lock`, the lock file relative to the
// site's root (default py/pyodide-lock.json); `snippet`, the id of the snippet in
// snippets.json to put in the editor (default main).  The benchmark points `index` and
// `lock` at a copy of Pyodide as published (benchmarks/page.py: stock_pyodide), not at
// the site's bytecode-compiled files: the baseline is what a page gets without our work.

const params = new URLSearchParams(location.search);
const SITE_ROOT = new URL("../", import.meta.url);
const indexURL = new URL(params.get("index") ?? "pyodide/v0.27.7/", SITE_ROOT).href;
const snippetId = params.get("snippet") ?? "main";

const statusLine = document.getElementById("status");
const codeBox = document.getElementById("code");
const runButton = document.getElementById("run");
const runStatus = document.getElementById("run-status");
const output = document.getElementById("output");

function setPhase(phase, text) {
  statusLine.dataset.phase = phase;
  statusLine.textContent = text;
}

function print(text, stream = "stdout") {
  const last = output.lastElementChild;
  if (last?.tagName === "PRE" && last.dataset.stream === stream) {
    last.append(text);
  } else {
    const pre = document.createElement("pre");
    pre.dataset.stream = stream;
    pre.textContent = text;
    output.append(pre);
  }
}

fetch(new URL("snippets.json", SITE_ROOT))
  .then((response) => response.json())
  .then((site) => {
    // Whatever was typed before the snippet arrived stays, after it (the caret too).
    codeBox.value = site.snippets[snippetId].code + codeBox.value;
  });

/** The site's lock file, with its own wheels' relative paths made absolute. */
async function lockFileURL() {
  const lockURL = new URL(params.get("lock") ?? "py/pyodide-lock.json", SITE_ROOT);
  const lock = await (await fetch(lockURL)).json();
  for (const entry of Object.values(lock.packages)) {
    if (entry.file_name.includes("/")) entry.file_name = new URL(entry.file_name, lockURL).href;
  }
  return URL.createObjectURL(new Blob([JSON.stringify(lock)], { type: "application/json" }));
}

const pyodideReady = (async () => {
  const { loadPyodide } = await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`);
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL: await lockFileURL(),
    env: { MPLBACKEND: "agg" },
  });
  pyodide.setStdout({ batched: (text) => print(`${text}\n`) });
  pyodide.setStderr({ batched: (text) => print(`${text}\n`, "stderr") });
  setPhase("ready", "Python ready");
  return pyodide;
})();
pyodideReady.catch((error) => setPhase("error", `Python failed to load: ${error.message}`));

// Every figure left open becomes a PNG <img> (base64, the way most examples do it).
const COLLECT_FIGURES = `
import base64, io, sys
_pngs = []
if "matplotlib.pyplot" in sys.modules:
    import matplotlib.pyplot as plt
    for _number in plt.get_fignums():
        _buffer = io.BytesIO()
        plt.figure(_number).savefig(_buffer, format="png", dpi=100, bbox_inches="tight")
        _pngs.append(base64.b64encode(_buffer.getvalue()).decode())
    plt.close("all")
_pngs
`;

async function run() {
  if (runButton.disabled) return;
  runButton.disabled = true;
  runButton.dataset.state = "running";
  output.replaceChildren();
  runStatus.textContent = "Running…";
  let ok = true;
  try {
    const pyodide = await pyodideReady;
    const code = codeBox.value;
    await pyodide.loadPackagesFromImports(code, { messageCallback: () => {} });
    const namespace = pyodide.globals.get("dict")();
    // plt.show() has nothing to show with Agg; the figures are collected below.
    pyodide.runPython(
      "import warnings; warnings.filterwarnings('ignore', message='.*non-interactive')",
      { globals: namespace },
    );
    try {
      pyodide.runPython(code, { globals: namespace });
    } catch (error) {
      ok = false;
      print(String(error.message), "stderr");
    }
    const pngs = pyodide.runPython(COLLECT_FIGURES, { globals: namespace });
    for (const png of pngs.toJs()) {
      const image = document.createElement("img");
      image.alt = "A figure";
      image.src = `data:image/png;base64,${png}`;
      output.append(image);
    }
    pngs.destroy();
    namespace.destroy();
  } catch (error) {
    ok = false;
    print(String(error.message ?? error), "stderr");
  }
  runStatus.textContent = ok ? "Done" : "Error";
  runButton.dataset.state = ok ? "done" : "error";
  runButton.disabled = false;
}

runButton.addEventListener("click", run);
codeBox.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
    event.preventDefault();
    run();
  }
});
