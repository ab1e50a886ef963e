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

    if pyodide_url is None:
        shipped_as = write_self_hosted_pyodide(out, core, verified, wheels, closure)
        index_url = f"{PYODIDE_DIR}/"
    else:
        shipped_as = {}
        index_url = pyodide_url if pyodide_url.endswith("/") else pyodide_url + "/"
        log(f"Pyodide will load from {index_url}")
    for file_name in ours:
        write(out / "py" / "wheels" / file_name, wheels[file_name])
    lock_bytes = page_lock(official_lock, closure, shipped_as, wheels, ours)
    build_id = sha256_hex(lock_bytes + index_url.encode())[:12]
    write(out / "py" / "pyodide-lock.json", lock_bytes)

    config = page_config(build_id, index_url)
    run(["node", str(WEB / "tools" / "build-site.mjs"), str(out), json.dumps(config)])
    write_service_worker(out, config)
    precompress(out)
    log(f"built {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} (build {build_id})")
    return config


def write_self_hosted_pyodide(
    out: Path,
    core: dict[str, bytes],
    verified: dict[str, bytes],
    wheels: dict[str, bytes],
    closure: list[str],
) -> dict[str, str]:
    """Write Pyodide's core files and the verified packages (those given bytecode as
    ``wheels`` has them) into the versioned Pyodide folder; return where each package is
    shipped, relative to that folder, by its official file name."""
    # The standard library keeps its URL, unlike the wheels (see pyc_folder): Pyodide
    # fetches it from indexURL and checks no sha256, so a browser that still holds the
    # official copy imports from its sources, only slower.
    for name in CORE_FILES:
        write(out / PYODIDE_DIR / name, wheels.get(name, core[name]))
    derived = {name: wheels[name] for name in verified if wheels[name] != verified[name]}
    folder = pyc_folder(derived)
    shipped_as = {name: name for name in verified}
    shipped_as.update({name: f"{folder}/{name}" for name in derived})
    for name, path in shipped_as.items():
        write(out / PYODIDE_DIR / path, wheels[name])
    log(f"Pyodide {PYODIDE_VERSION}: {len(CORE_FILES)} core files and "
        f"{len(verified)} verified packages ({', '.join(closure)}), "
        f"{len(derived)} of them with .pyc for the modules the page imports (in "
        f"{folder}/), python_stdlib.zip too")  # fmt: skip
    return shipped_as
