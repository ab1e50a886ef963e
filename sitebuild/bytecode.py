"""Bytecode (.pyc) for the archives the page ships.

Pyodide 0.27's wheels and its python_stdlib.zip carry .py sources only, and its
interpreter never writes .pyc files (sys.dont_write_bytecode), so every visit compiled
every module it imported, again: the standard library's while Python starts, then most
of the 1.5 s of `import matplotlib.pyplot` and the 2.5 s of `import sklearn.linear_model`.
So the build compiles them once, with Pyodide's own CPython, and ships the bytecode --
but only of the modules the page imports: a .pyc is larger than its source, zipped, and
the page fetches numpy, matplotlib and the standard library before Python is ready.  The
build finds them by doing what the page does, in Pyodide run by Node (ImportTrace); every
other module ships as published.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .common import log, sha256_hex, write
from .config import ROOT, STDLIB_ZIP
from .import_trace import ImportTrace, trace_phase, traced_sources
from .pyodide_node import compile_with_pyodide, pyc_compiler_id
from .wheels import repack_with_pyc

PYC_CACHE = ROOT / ".cache" / "pyc"


def pyc_folder(derived: dict[str, bytes]) -> str:
    """The folder, inside the versioned Pyodide folder, of the wheels given bytecode.

    Hosts may cache ``pyodide/v0.27.7/`` for a year without asking again (``immutable``), so
    a wheel's URL there must never change its bytes: a browser holding the official numpy
    wheel under its official name would hand it to Pyodide, whose sha256 check against our
    lock would fail.  So the derived wheels keep their names but live in ``pyc-DIGEST/``, the
    digest of all of them: any change of any (another compiler, another mode) moves them
    to new URLs, and the official names keep the official bytes (or are not shipped).
    """
    digest = hashlib.sha256()
    for name in sorted(derived):
        digest.update(f"{name}\0{sha256_hex(derived[name])}\0".encode())
    return f"pyc-{digest.hexdigest()[:12]}"


def has_python_sources(file_name: str, data: bytes) -> bool:
    """Whether a file is a wheel or zip with .py files (openblas' zip of libraries is not)."""
    if not file_name.endswith((".whl", ".zip")):
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(name.endswith(".py") for name in archive.namelist())


def pyc_cache_key(archive: bytes, keep_sources: bool, selection: list[str] | None = None) -> str:
    """Name of a derived archive in ``.cache/pyc/``: (source sha256, compiler, mode), the
    mode naming the sources compiled (all, or a digest of the list) and where their
    bytecode goes."""
    mode = "py+pyc" if keep_sources else "pyc"
    if selection is not None:
        mode += "-" + sha256_hex("\n".join(selection).encode())[:12]
    return f"{sha256_hex(archive)[:32]}-{pyc_compiler_id()}-{mode}"


def pyc_plan_path(trace: ImportTrace, stdlib: bytes, cache: Path = PYC_CACHE) -> Path:
    """Where :func:`compile_archives` keeps what a trace saw and chose, as JSON:
    ``{"traced": {"boot"|"all": {"site"|"stdlib": [path, ...]}},
    "selection": {archive: [source, ...]}}``."""
    return cache / f"trace-{trace.key(stdlib)}-{pyc_compiler_id()}.json"


def compile_archives(
    archives: dict[str, bytes],
    core: dict[str, bytes],
    keep_sources: Iterable[str] = (),
    skip: Iterable[str] = (),
    cache: Path = PYC_CACHE,
    trace: ImportTrace | None = None,
) -> dict[str, bytes]:
    """The wheels (and the standard library's zip) with bytecode, by file name; files
    with no .py (openblas' zip) and those in ``skip`` unchanged.

    Call it with archives already verified (wheels against the official lock): the
    derived bytes get their own sha256 in the page's lock, so this is the last point
    where the official sha256 vouches for them.  Those named in ``keep_sources`` get
    bytecode for all their modules, beside their .py files.  The others, without a
    ``trace``, ship bytecode only, for all their modules; with one, only the modules the
    trace saw loaded ship as bytecode, and every other file as it is, so an archive none
    of whose modules the page imports ships unchanged (see :func:`repack_with_pyc`).  The
    trace needs every file its lock names among ``archives``.

    Derived archives are kept in ``.cache/pyc/`` under :func:`pyc_cache_key`, and the
    trace's plan under :func:`pyc_plan_path`, so only the first build on a machine starts
    Pyodide (one run traces, another compiles: 30-60 s on two cores); later builds only
    read files, until a wheel, the lessons or the compiler change.
    """
    keep, skipped = set(keep_sources), set(skip)
    candidates = [n for n in archives if n not in skipped and has_python_sources(n, archives[n])]
    selective = [n for n in candidates if trace is not None and n not in keep]
    derived = {n: data for n, data in archives.items() if n not in candidates}
    # The plan: what the trace saw, and the sources of each selective archive that ship as
    # bytecode (the traced ones; of those fetched before ready, what ready and the first
    # Run import).
    plan: dict | None = None
    plan_file = None
    if trace is not None and selective:
        plan_file = pyc_plan_path(trace, archives.get(STDLIB_ZIP, core[STDLIB_ZIP]), cache)
        if plan_file.is_file():
            plan = json.loads(plan_file.read_text())

    def selection(file_name: str) -> list[str] | None:
        if file_name not in selective:
            return None
        assert plan is not None
        return plan["selection"].get(file_name, [])

    def cached_path(file_name: str) -> Path:
        key = pyc_cache_key(archives[file_name], file_name in keep, selection(file_name))
        return cache / f"{key}{Path(file_name).suffix}"

    if trace is not None and selective and plan is None:
        log("tracing what the page imports, with Pyodide run by Node")
        traced = compile_with_pyodide({}, core, trace=trace, trace_files=archives)[0]["traced"]
        chosen = {
            n: traced_sources(n, archives[n], traced[trace_phase(trace, n)]) for n in selective
        }
        plan = {"traced": traced, "selection": chosen}
        assert plan_file is not None
        write(plan_file.with_suffix(".partial"), json.dumps(plan, indent=1, sort_keys=True))
        plan_file.with_suffix(".partial").replace(plan_file)
    pending: dict[str, Path] = {}
    for file_name in candidates:
        if selection(file_name) == []:  # nothing of it is imported: as published
            derived[file_name] = archives[file_name]
            continue
        cached = cached_path(file_name)
        if cached.is_file():
            derived[file_name] = cached.read_bytes()
        else:
            pending[file_name] = cached
    if pending:
        log(f"compiling the Python files of {len(pending)} archives to .pyc with Pyodide")
        select: dict[str, str | list[str]] = {}
        for n in pending:
            chosen = selection(n)
            select[n] = "all" if chosen is None else chosen
        report, compiled = compile_with_pyodide({n: archives[n] for n in pending}, core,
                                                select=select)  # fmt: skip
    for file_name, cached in pending.items():
        data = repack_with_pyc(archives[file_name], compiled[file_name], report["cacheTag"],
                               keep_sources=file_name in keep)  # fmt: skip
        partial = cached.with_suffix(".partial")
        write(partial, data)
        partial.replace(cached)  # atomic: a cached archive is always complete
        derived[file_name] = data
    if pending:
        # Archives and traces of an earlier compiler will not be asked for again.
        for stale in cache.glob("*.*"):
            if f"-{pyc_compiler_id()}" not in stale.name:
                stale.unlink()
    return {file_name: derived[file_name] for file_name in archives}
