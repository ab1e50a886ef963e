"""sitebuild.pipeline: a build ships verified files, registers our wheels, and a CDN build
ships no Pyodide files."""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitebuild.config import (  # noqa: E402
    CORE_FILES,
    LESSON_PACKAGES,
    MATPLOTLIB_DATA,
    PYODIDE_DIR,
)
from sitebuild.lock import shipped_path  # noqa: E402
from sitebuild.pyodide_dist import (  # noqa: E402
    dependency_closure,
    fetch_pyodide_core,
)


def test_a_build_ships_verified_files_and_registers_our_wheels(self_hosted_build) -> None:
    out, config = self_hosted_build.out, self_hosted_build.config
    lock = json.loads((out / "py" / "pyodide-lock.json").read_text())
    official = json.loads(fetch_pyodide_core()["pyodide-lock.json"])["packages"]
    closure = dependency_closure(official, LESSON_PACKAGES)  # see test_pyodide_dist
    ours = ("lab-runner", "linreg", MATPLOTLIB_DATA)
    assert sorted(n for n in lock["packages"] if n not in ours) == closure
    # matplotlib's deferred fonts and data: a package of its own, fetched after ready.
    assert config["prefetchPackages"][0] == config["matplotlibData"] == MATPLOTLIB_DATA
    assert MATPLOTLIB_DATA not in lock["packages"]["matplotlib"]["depends"]
    for name, entry in lock["packages"].items():
        if name in ("lab-runner", "linreg"):
            path = out / "py" / entry["file_name"]
            assert entry["imports"] == [name.replace("-", "_")]
        else:
            path = shipped_path(out, entry["file_name"])
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], name
    for core in CORE_FILES:
        assert (out / PYODIDE_DIR / core).stat().st_size > 0
    assert not (out / PYODIDE_DIR / "pandas-2.2.3-cp312-cp312-pyodide_2024_0_wasm32.whl").exists()
    html = (out / "index.html").read_text()
    assert 'class="katex"' in html and "$$" not in html
    assert 'data-cell-id="main"' in html
    assert config["pyodideIndexURL"] == f"{PYODIDE_DIR}/"


def test_a_cdn_build_ships_no_pyodide_files_and_points_at_the_cdn(cdn_build) -> None:
    out, config = cdn_build.out, cdn_build.config
    url = "https://cdn.example.org/pyodide/v0.27.7/full/"
    assert config["pyodideIndexURL"] == url
    assert not (out / "pyodide").exists()
    # The CDN's matplotlib is whole: no second package to fetch or install.
    assert config["matplotlibData"] is None
    assert MATPLOTLIB_DATA not in config["prefetchPackages"]
    worker = next((out / "assets").glob("python-worker-*.js")).read_text()
    assert url in worker
    assert "module://lab_runner.mpl_backend" in worker  # config.WORKER_ENV, via the config


def test_a_build_leaves_gzip_copies_of_the_pyodide_core_and_the_pages(self_hosted_build) -> None:
    out = self_hosted_build.out
    pyodide = out / PYODIDE_DIR
    for name in ("pyodide.asm.wasm", "pyodide.asm.js", "pyodide.mjs"):
        copy = (pyodide / f"{name}.gz").read_bytes()
        assert gzip.decompress(copy) == (pyodide / name).read_bytes()
    assert (out / "index.html.gz").exists()
    assert (out / "py" / "pyodide-lock.json.gz").exists()
    assert not list(out.rglob("*.whl.gz")) and not list(out.rglob("*.zip.gz"))
    wasm = pyodide / "pyodide.asm.wasm"
    assert (pyodide / "pyodide.asm.wasm.gz").stat().st_size < 0.35 * wasm.stat().st_size
    brotli = (pyodide / "pyodide.asm.wasm.br").stat().st_size  # Brotli: smaller again
    assert brotli < 0.8 * (pyodide / "pyodide.asm.wasm.gz").stat().st_size
    assert (out / "index.html.br").exists() and not list(out.rglob("*.whl.br"))
