"""The service worker ``sw.js``: what to precache for offline use, and the Python worker's CSP."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .common import log, sha256_hex, write
from .config import PYODIDE_DIR, PYODIDE_RUNTIME_FILES, WEB

SERVICE_WORKER_SOURCE = WEB / "js" / "service-worker.js"
# Never saved for offline use: the service worker itself, source maps, compressed twins,
# and the font formats no browser with service workers needs (they all read .woff2).
NOT_PRECACHED_SUFFIXES = (".map", ".gz", ".br", ".woff", ".ttf")


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
