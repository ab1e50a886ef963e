"""``build()``: the ordered steps that make the site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .bytecode import compile_archives, pyc_folder
from .common import log, run, sha256_hex, write
from .compress import precompress
from .config import (
    CORE_FILES,
    DIST,
    LESSON_PACKAGES,
    LOCAL_PACKAGES,
    PY_SRC,
    PYODIDE_DIR,
    PYODIDE_VERSION,
    ROOT,
    STDLIB_ZIP,
    WEB,
    page_config,
)
from .import_trace import page_import_trace
from .lock import page_lock
from .matplotlib_data import matplotlib_data_lock_entry, split_matplotlib
from .pyodide_dist import (
    dependency_closure,
    fetch_pyodide_core,
    fetch_wheel_archive,
    verified_package_files,
)
from .service_worker import write_service_worker
from .wheels import project_version, pure_wheel


def ensure_node_modules() -> None:
    if not (ROOT / "node_modules" / ".bin" / "esbuild").exists():
        log("installing the front-end dependencies with npm ci")
        run(["npm", "ci", "--no-audit", "--no-fund"])


def build(out: Path = DIST, pyodide_url: str | None = None) -> dict:
    """Build the whole static site into ``out`` and return the page's config."""
    core = fetch_pyodide_core()
    official_lock = json.loads(core["pyodide-lock.json"])
    closure = dependency_closure(official_lock["packages"], LESSON_PACKAGES)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ensure_node_modules()  # esbuild, and markdown-it for the lessons' import trace

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
        stdlib = {STDLIB_ZIP: core[STDLIB_ZIP]}
    # Self-hosted, only the modules the page imports get bytecode (found by a trace).
    trace = page_import_trace(official_lock, closure, ours) if verified else None
    wheels = compile_archives({**verified, **stdlib, **ours}, core, keep_sources=ours, trace=trace)

    extra: list[dict] = []
    if pyodide_url is None:
        matplotlib = official_lock["packages"]["matplotlib"]
        data_name = defer_matplotlib_data(matplotlib, wheels)
        shipped_as = write_self_hosted_pyodide(out, core, verified, wheels, closure, (data_name,))
        data_path = f"../{PYODIDE_DIR}/{shipped_as[data_name]}"  # relative to the lock
        extra.append(
            matplotlib_data_lock_entry(data_path, wheels[data_name], matplotlib["version"])
        )
        index_url = f"{PYODIDE_DIR}/"
    else:
        shipped_as = {}
        index_url = pyodide_url if pyodide_url.endswith("/") else pyodide_url + "/"
        log(f"Pyodide will load from {index_url}")
    for file_name in ours:
        write(out / "py" / "wheels" / file_name, wheels[file_name])
    lock_bytes = page_lock(official_lock, closure, shipped_as, wheels, ours, extra)
    build_id = sha256_hex(lock_bytes + index_url.encode())[:12]
    write(out / "py" / "pyodide-lock.json", lock_bytes)

    config = page_config(build_id, index_url, matplotlib_data=bool(extra))
    run(["node", str(WEB / "tools" / "build-site.mjs"), str(out), json.dumps(config)])
    write_service_worker(out, config)
    precompress(out)
    log(f"built {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} (build {build_id})")
    return config


def defer_matplotlib_data(matplotlib: dict, wheels: dict[str, bytes]) -> str:
    """Split matplotlib's wheel (its lock entry ``matplotlib``) in ``wheels``: the slim one
    in its place, the fonts and sample data the figures never use in a wheel of their own,
    added to ``wheels``; return that one's file name."""
    slim, file_name, data = split_matplotlib(wheels[matplotlib["file_name"]], matplotlib["version"])
    wheels[matplotlib["file_name"]] = slim
    wheels[file_name] = data
    log(f"matplotlib: {len(slim) / 1e6:.1f} MB before the first plot, "
        f"{len(data) / 1e6:.1f} MB of fonts and sample data after ready ({file_name})")  # fmt: skip
    return file_name


def write_self_hosted_pyodide(
    out: Path,
    core: dict[str, bytes],
    verified: dict[str, bytes],
    wheels: dict[str, bytes],
    closure: list[str],
    made: tuple[str, ...] = (),
) -> dict[str, str]:
    """Write Pyodide's core files and the verified packages (those given bytecode as
    ``wheels`` has them) into the versioned Pyodide folder, and the wheels the build
    ``made`` (matplotlib's deferred data) beside the derived ones; return where each is
    shipped, relative to that folder, by its (official) file name."""
    # The standard library keeps its URL, unlike the wheels (see pyc_folder): Pyodide
    # fetches it from indexURL and checks no sha256, so a browser that still holds the
    # official copy imports from its sources, only slower.
    for name in CORE_FILES:
        write(out / PYODIDE_DIR / name, wheels.get(name, core[name]))
    derived = {name: wheels[name] for name in verified if wheels[name] != verified[name]}
    compiled = len(derived)
    derived.update({name: wheels[name] for name in made})
    folder = pyc_folder(derived)
    shipped_as = {name: name for name in verified}
    shipped_as.update({name: f"{folder}/{name}" for name in derived})
    for name, path in shipped_as.items():
        write(out / PYODIDE_DIR / path, wheels[name])
    log(f"Pyodide {PYODIDE_VERSION}: {len(CORE_FILES)} core files and "
        f"{len(verified)} verified packages ({', '.join(closure)}), "
        f"{compiled} of them with .pyc for the modules the page imports (in "
        f"{folder}/), python_stdlib.zip too")  # fmt: skip
    return shipped_as
