"""Precompression: gzip and Brotli copies beside the files a host may send compressed."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from .common import ROOT, log, run, sha256_hex, write
from .config import CACHE, PYODIDE_DIR

COMPRESSIBLE_SUFFIXES = (".wasm", ".js", ".mjs", ".json", ".css", ".html")
COMPRESS_MIN_BYTES = 1024
BROTLI_TOOL = ROOT / "web" / "tools" / "brotli.mjs"


def precompress(out: Path, cache: Path = CACHE.parent / "compressed") -> int:
    """Write ``NAME.gz`` and ``NAME.br`` beside each compressible file of the site; return
    how many files got copies.

    Hosts that serve precompressed siblings (nginx ``gzip_static on`` and ``brotli_static
    on``, Caddy ``file_server { precompressed br gzip }``, ``build.py serve``) send them to
    browsers that accept them, so ``pyodide.asm.wasm`` travels as 2.3 MB (Brotli) or 3.2 MB
    (gzip) instead of 10.1 MB; the server keeps its own ``Content-Type``
    (``application/wasm``).  Files under 1 KiB, or that gzip would not shrink by a tenth,
    get no copies.  gzip at level 9 with no timestamp, Brotli at quality 11 (written by
    Node's zlib, :data:`BROTLI_TOOL`: Python's standard library has no Brotli encoder), so
    the same file always gives the same bytes.  Copies of the versioned Pyodide files
    (which never change) are kept in ``cache`` by sha256, so each is compressed once per
    machine, not once per build (Brotli's best quality takes seconds on the wasm).
    """
    import gzip

    written = 0
    brotli_jobs: list[tuple[Path, Path, Path | None]] = []  # (source, copy, cache file)
    pyodide_dir = out / PYODIDE_DIR
    for path in sorted(out.rglob("*")):
        if path.suffix not in COMPRESSIBLE_SUFFIXES or not path.is_file():
            continue
        data = path.read_bytes()
        if len(data) < COMPRESS_MIN_BYTES:
            continue
        digest = sha256_hex(data) if path.is_relative_to(pyodide_dir) else None
        compressed = _cached(cache, digest, ".gz") or gzip.compress(data, 9, mtime=0)
        _keep(cache, digest, ".gz", compressed)
        if len(compressed) > 0.9 * len(data):
            continue
        write(path.with_name(path.name + ".gz"), compressed)
        brotli_jobs.append((path, path.with_name(path.name + ".br"), digest))
        written += 1
    _write_brotli(brotli_jobs, cache)
    log(f"wrote gzip and Brotli copies of {written} files")
    return written


def _cached(cache: Path, digest: str | None, suffix: str) -> bytes | None:
    file = cache / f"{digest}{suffix}"
    return file.read_bytes() if digest is not None and file.exists() else None


def _keep(cache: Path, digest: str | None, suffix: str, data: bytes) -> None:
    if digest is None or (cache / f"{digest}{suffix}").exists():
        return
    partial = cache / f"{digest}{suffix}.partial"
    write(partial, data)
    partial.replace(cache / f"{digest}{suffix}")  # atomic: a cache file is always complete


def _write_brotli(jobs: list[tuple[Path, Path, str | None]], cache: Path) -> None:
    """Brotli copies: from the cache where kept, the others by one run of Node."""
    to_compress = []
    for source, copy, digest in jobs:
        kept = _cached(cache, digest, ".br")
        if kept is not None:
            write(copy, kept)
        else:
            to_compress.append((source, copy, digest))
    if not to_compress:
        return
    with tempfile.TemporaryDirectory() as folder:
        job_file = Path(folder) / "jobs.json"
        job_file.write_text(json.dumps([[str(s), str(c)] for s, c, _ in to_compress]))
        run(["node", str(BROTLI_TOOL), str(job_file)])
    for _, copy, digest in to_compress:
        _keep(cache, digest, ".br", copy.read_bytes())
