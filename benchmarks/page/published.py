"""Pyodide as published: the baseline's copy of it, and the issue's byte budget."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .site_build import (
    PYODIDE_DIR,
    WHEELS_PREFIX,
    dependency_closure,
    fetch_pyodide_core,
    fetch_wheel_archive,
    precompress,
    shipped_path,
    verified_package_files,
)
from .targets import STOCK


def stock_pyodide(site: Path) -> None:
    """Pyodide as published, for the baseline: the npm package's core files and lock, and
    Pyodide's own wheels of the numpy + matplotlib closure (sha256-verified by the build),
    in ``STOCK``, with gzip copies like the site's.  The site's own Pyodide folder holds
    our bytecode-compiled wheels and standard library, which a naive page would not have.
    """
    folder = site / STOCK
    folder.mkdir(parents=True, exist_ok=True)
    core = fetch_pyodide_core()
    for name, data in core.items():
        (folder / name).write_bytes(data)
    official = json.loads(core["pyodide-lock.json"])["packages"]
    closure = dependency_closure(official, ["numpy", "matplotlib"])
    wheels = verified_package_files(official, closure, fetch_wheel_archive())
    for file_name, data in wheels.items():
        (folder / file_name).write_bytes(data)
    precompress(folder)


def budget(site: Path, lock_packages: dict) -> dict:
    """Uncompressed bytes of the Pyodide core, the numpy + matplotlib closure and lab-runner.

    ``bytes`` counts the files the page's lock has the worker fetch before ready, as
    shipped (wheels given bytecode by the build; the page's lock leaves fontTools and pytz
    for after ready, see sitebuild.config.AFTER_READY); ``official_bytes`` the issue's budget: the
    closure by Pyodide's own lock, its wheels as published.
    """
    core = ["pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]
    closure = dependency_closure(lock_packages, ["numpy", "matplotlib", "lab-runner"])
    files = [site / PYODIDE_DIR / name for name in core]
    files.append(site / "py" / "pyodide-lock.json")
    published = fetch_pyodide_core()
    official = sum(len(published[name]) for name in core) + files[-1].stat().st_size
    official_lock = json.loads(published["pyodide-lock.json"])["packages"]
    official_closure = dependency_closure(official_lock, ["numpy", "matplotlib"])
    with zipfile.ZipFile(fetch_wheel_archive()) as archive:
        for name in closure:
            file_name = lock_packages[name]["file_name"]
            if file_name.startswith("wheels/"):  # ours, on both sides
                files.append(site / "py" / file_name)
                official += files[-1].stat().st_size
            else:
                files.append(shipped_path(site, file_name))
        for name in official_closure:
            member = WHEELS_PREFIX + official_lock[name]["file_name"]
            official += archive.getinfo(member).file_size
    return {
        "bytes": sum(f.stat().st_size for f in files),
        "official_bytes": official,
        "files": [f.name for f in files],
        "packages": closure,
        "official_packages": official_closure,
    }
