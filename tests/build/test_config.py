"""sitebuild.config: the one source of the page's runtime settings, which reach the page and
its worker through the config the build writes."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitebuild.config import (  # noqa: E402
    CORE_FILES,
    INSTALL_ON_FIRST_IMPORT,
    PREFETCH_IMPORTS,
    PREFETCH_PACKAGES,
    PRELOAD_PACKAGES,
    PYODIDE_RUNTIME_FILES,
    WORKER_ENV,
    page_config,
)


def test_the_page_config_carries_every_runtime_setting() -> None:
    config = page_config("abc123", "pyodide/v0.27.7/")
    assert config["buildId"] == "abc123"
    assert config["pyodideIndexURL"] == "pyodide/v0.27.7/"
    assert config["preloadPackages"] == list(PRELOAD_PACKAGES)
    assert config["prefetchPackages"] == list(PREFETCH_PACKAGES)
    assert config["prefetchImports"] == list(PREFETCH_IMPORTS)
    assert config["installOnFirstImport"] == INSTALL_ON_FIRST_IMPORT
    assert config["workerEnv"] == WORKER_ENV == {"MPLBACKEND": "module://lab_runner.mpl_backend"}


def test_the_worker_keeps_no_copy_of_its_environment() -> None:
    worker = (ROOT / "web" / "js" / "worker" / "python-worker.js").read_text()
    assert "config.workerEnv" in worker
    for name, value in WORKER_ENV.items():
        assert name not in worker and value not in worker


def test_the_core_files_are_the_runtime_and_the_classic_script_loader() -> None:
    assert set(CORE_FILES) == {*PYODIDE_RUNTIME_FILES, "pyodide.js"}
    assert len(CORE_FILES) == len(set(CORE_FILES)) == 5
