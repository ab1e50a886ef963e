"""Everything the benchmark takes from the site's build, in one place.

The rest of ``benchmarks/page`` imports these names from here and never ``build`` itself,
so when the build moves into a package only the import below changes.  (``benchmarks`` is
importable from the repository's root, where ``build.py`` is.)
"""

from __future__ import annotations

from pathlib import Path

from build import (
    PYODIDE_DIR,
    WHEELS_PREFIX,
    build,
    dependency_closure,
    fetch_pyodide_core,
    fetch_wheel_archive,
    make_handler,
    precompress,
    shipped_path,
    verified_package_files,
)

ROOT = Path(__file__).resolve().parents[2]

__all__ = [
    "PYODIDE_DIR",
    "ROOT",
    "WHEELS_PREFIX",
    "build",
    "dependency_closure",
    "fetch_pyodide_core",
    "fetch_wheel_archive",
    "make_handler",
    "precompress",
    "shipped_path",
    "verified_package_files",
]
