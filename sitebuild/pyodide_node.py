"""Pyodide's own CPython, run by Node (web/tools/compile-pyc.mjs): it compiles archives' modules
to .pyc, or traces which modules the page imports."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .common import BuildError, log, run, sha256_hex, write
from .config import CORE_FILES, PYODIDE_VERSION, WEB
from .wheels import pycache_name

if TYPE_CHECKING:
    from .import_trace import ImportTrace

COMPILE_PYC_SCRIPT = WEB / "tools" / "compile-pyc.mjs"
# Bump when repack_with_pyc changes what it writes: cached wheels are then made again.
PYC_FORMAT = 3


def pyc_compiler_id() -> str:
    """What the bytecode depends on besides the sources: Pyodide, the script, the repacking."""
    return sha256_hex(
        f"pyodide {PYODIDE_VERSION}\0format {PYC_FORMAT}\0".encode()
        + COMPILE_PYC_SCRIPT.read_bytes()
    )[:12]


def compile_with_pyodide(
    archives: dict[str, bytes],
    core: dict[str, bytes],
    *,
    select: dict[str, str | list[str]] | None = None,
    trace: ImportTrace | None = None,
    trace_files: dict[str, bytes] | None = None,
) -> tuple[dict, dict[str, dict[str, bytes]]]:
    """Byte-compile the .py files of wheels (or of the standard library's zip) with
    Pyodide's CPython, run by Node; or, given a ``trace``, trace the page's imports instead.

    The host's Python cannot do it: its bytecode is for its own version (3.11, say), and
    Pyodide 0.27.7 is CPython 3.12.7.  web/tools/compile-pyc.mjs starts Pyodide from the
    verified core files of the npm package, mounts the unpacked archives (NODEFS) and
    compiles them (unchecked-hash .pyc files, optimisation level 0; see the script).
    ``select`` says, per archive, which sources: ``"all"`` (the default) or a list of
    paths in the archive.  With a ``trace``, Pyodide only traces (``archives`` must be
    empty: the script says why), installing the files its lock names, taken from
    ``trace_files``.
    Returns the script's report (Python version, magic number, cache tag, the traced
    modules, failures) and, per archive, each compiled source's path mapped to its .pyc.
    """
    select = {name: select.get(name, "all") if select else "all" for name in archives}
    with tempfile.TemporaryDirectory(prefix="lab-pyc-") as temp:
        runtime, work = Path(temp) / "pyodide", Path(temp) / "archives"
        for name in (*CORE_FILES, "pyodide-lock.json"):
            write(runtime / name, core[name])
        if trace is not None:
            files = trace_files or {}
            for entry in trace.lock["packages"].values():
                if entry["file_name"] not in files:
                    raise BuildError(f"the import trace needs {entry['file_name']}, not given")
                write(runtime / entry["file_name"], files[entry["file_name"]])
            write(runtime / "trace-lock.json", json.dumps(trace.lock))
        work.mkdir()
        for file_name, data in archives.items():
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.extractall(work / file_name)
        job = Path(temp) / "job.json"
        write(job, json.dumps({"trace": trace and trace.job(), "compile": select}))
        command = ["node", str(COMPILE_PYC_SCRIPT), str(runtime), str(work), str(job)]
        try:
            output = run(command)
        except BuildError as error:
            if trace is None:
                raise
            raise BuildError(
                "The import trace failed: Pyodide, run by Node, could not do what the page "
                "does at start (install the packages, lab_runner.warm_up(), run the main "
                "snippet, import what the worker prefetches), so the build cannot tell "
                "which modules to give bytecode, and stops rather than guess.\n" + str(error)
            ) from error
        report = json.loads(output.strip().splitlines()[-1])
        if trace is not None and not all(report["traced"]["boot"].values()):
            raise BuildError(f"the import trace saw no module loaded: {report['traced']}")
        magic = bytes.fromhex(report["magic"])
        compiled: dict[str, dict[str, bytes]] = {}
        for file_name, data in archives.items():
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                sources = [n for n in archive.namelist() if n.endswith(".py")]
            pycs = {}
            for source in sources:
                pyc = work / file_name / pycache_name(source, report["cacheTag"])
                if pyc.is_file():
                    pycs[source] = pyc.read_bytes()
                    if pycs[source][:4] != magic:
                        raise BuildError(f"{pyc} does not start with Pyodide's magic number")
            compiled[file_name] = pycs
            for source, reason in report["folders"][file_name]["failed"].items():
                log(f"{file_name}: {source} does not compile ({reason}); its source is kept")
    return report, compiled
