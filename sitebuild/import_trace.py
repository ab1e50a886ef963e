"""The import trace: what the page imports at start and in its snippets, so that only those
modules are given bytecode."""

from __future__ import annotations

import ast
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .common import BuildError, run, sha256_hex
from .config import (
    LESSONS,
    LOCAL_PACKAGES,
    PREFETCH_IMPORTS,
    PREFETCH_PACKAGES,
    PRELOAD_PACKAGES,
    STDLIB_ZIP,
    WEB,
    WORKER_ENV,
)
from .pyodide_dist import dependency_closure
from .pyodide_node import pyc_compiler_id
from .wheels import local_lock_entry

MARKDOWN_SCRIPT = WEB / "tools" / "markdown.mjs"
# The fields of the parser's report that hold Python source.
PYTHON_FIELDS = ("code", "starter", "solution", "check")


@dataclass(frozen=True)
class ImportTrace:
    """What the build does, in Pyodide run by Node, to learn which modules the page imports.

    Installs ``packages`` (and their dependencies) from ``lock``, whose file names are bare
    names of archives the build holds; then, as the page's worker does (see
    web/tools/compile-pyc.mjs), ``import lab_runner`` and ``lab_runner.warm_up()`` with
    ``env`` set, runs ``code`` (the main snippet) as a Run runs it -- the "boot" modules --
    and then imports ``imports`` (what the worker prefetches, and what the lessons'
    snippets import) -- "all" the modules.
    """

    lock: dict
    packages: tuple[str, ...]
    imports: tuple[str, ...]
    code: str
    env: dict[str, str] = field(default_factory=dict)
    # Archives the page fetches before Python is ready (the standard library's zip, the
    # preloaded closure): bytecode only for what the boot and the first Run import, as
    # their bytes count before ready.  The modules only the prefetch imports from them
    # compile in the browser, in the background, while the learner reads.
    before_ready: tuple[str, ...] = ()

    def key(self, stdlib: bytes) -> str:
        """Its identity: everything it runs (the lock names every wheel by sha256), the
        standard library it runs with, and the compiler (script and Pyodide version)."""
        job = {**asdict(self), "stdlib": sha256_hex(stdlib), "compiler": pyc_compiler_id()}
        return sha256_hex(json.dumps(job, sort_keys=True).encode())[:32]

    def job(self) -> dict:
        """The ``trace`` part of compile-pyc.mjs's job."""
        return {"lockFile": "trace-lock.json", "packages": list(self.packages),
                "env": self.env, "imports": list(self.imports), "code": self.code}  # fmt: skip


def lesson_report(lessons: Path = LESSONS) -> dict:
    """What the one Markdown parser reports of every lesson (``node web/tools/markdown.mjs``):
    ``{"index.md": {"cells": [{"id", "code"}], "exercises": [{"id", "starter", "solution",
    "check", "mistakes": [{"id", "code"}], ...}]}, ...}``."""
    files = [str(path) for path in sorted(lessons.glob("*.md"))]
    return json.loads(run(["node", str(MARKDOWN_SCRIPT), *files]))


def python_sources(report: dict | list) -> list[str]:
    """Every piece of Python in the parser's report, wherever it is: the value of each
    ``code``, ``starter``, ``solution`` and ``check`` field (cells, exercises, their known
    mistakes, and whatever the parser reports later under those names)."""
    found: list[str] = []
    for key, value in report.items() if isinstance(report, dict) else enumerate(report):
        if key in PYTHON_FIELDS and isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict | list):
            found.extend(python_sources(value))
    return found


def main_snippet(report: dict) -> str:
    """The code of the lessons' ```` ```python cell=main ```` block (what the page runs first)."""
    for lesson in report.values():
        for cell in lesson["cells"]:
            if cell["id"] == "main":
                return cell["code"]
    raise BuildError("no lesson has a ```python cell=main block: the import trace runs it")


def snippet_imports(cells: Iterable[str]) -> list[str]:
    """The modules the snippets import (``import a.b`` and ``from a.b import c``: ``a.b``),
    sorted; a snippet that does not parse (one showing an error, say) adds none."""
    modules: set[str] = set()
    for code in cells:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module)
    return sorted(modules)


def page_import_trace(
    official_lock: dict, closure: Iterable[str], ours: dict[str, bytes]
) -> ImportTrace:
    """The trace of what the page imports: the shipped closure (official lock entries) and
    our wheels installed, the worker's preloads, prefetches and environment, the lessons'
    main snippet and every module that any Python of the lessons imports (cells, and
    exercises' starters, solutions, checks and known mistakes)."""
    packages = {name: official_lock["packages"][name] for name in closure}
    for package, file_name in zip(LOCAL_PACKAGES, ours, strict=True):
        entry = local_lock_entry(package, file_name, ours[file_name])
        packages[entry["name"]] = {**entry, "file_name": file_name}
    report = lesson_report()
    imports = sorted({*PREFETCH_IMPORTS, *snippet_imports(python_sources(report))})
    return ImportTrace(
        lock={"info": official_lock["info"], "packages": packages},
        packages=(*PRELOAD_PACKAGES, *PREFETCH_PACKAGES),
        imports=tuple(imports),
        code=main_snippet(report),
        env=dict(WORKER_ENV),
        before_ready=(
            STDLIB_ZIP,
            *(
                packages[name]["file_name"]
                for name in dependency_closure(packages, PRELOAD_PACKAGES)
            ),
        ),
    )


def trace_phase(trace: ImportTrace, file_name: str) -> str:
    """Which of the trace's module lists an archive's bytecode covers: "boot" for those
    fetched before Python is ready, "all" for the others."""
    return "boot" if file_name in trace.before_ready else "all"


def traced_sources(file_name: str, data: bytes, modules: dict[str, list[str]]) -> list[str]:
    """The sources of an archive among a trace's ``modules``, sorted: paths in the standard
    library's zip for it, else in site-packages (where a wheel's paths are installed)."""
    wanted = set(modules["stdlib" if file_name == STDLIB_ZIP else "site"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(n for n in archive.namelist() if n.endswith(".py") and n in wanted)
