"""Everything the benchmark takes from the site's build, in one place.

The rest of ``benchmarks/page`` imports these names from here and never ``build`` itself,
so a move inside the build's package changes only the imports below.  (``benchmarks`` is
importable from the repository's root, where ``sitebuild/`` is.)
"""

from __future__ import annotations

from pathlib import Path

from sitebuild.compress import precompress
from sitebuild.config import PYODIDE_DIR, WHEELS_PREFIX, WORKER_ENV
from sitebuild.lock import shipped_path
from sitebuild.pipeline import build
from sitebuild.pyodide_dist import (
    dependency_closure,
    fetch_pyodide_core,
    fetch_wheel_archive,
    verified_package_files,
)
from sitebuild.serve import make_handler

ROOT = Path(__file__).resolve().parents[2]

__all__ = [
    "PYODIDE_DIR",
    "ROOT",
    "WHEELS_PREFIX",
    "WORKER_ENV",
    "build",
    "dependency_closure",
    "fetch_pyodide_core",
    "fetch_wheel_archive",
    "make_handler",
    "precompress",
    "shipped_path",
    "verified_package_files",
]
