"""Precompression: gzip copies beside the files a host may send compressed."""

from __future__ import annotations

from pathlib import Path

from .common import log, sha256_hex, write
from .config import CACHE, PYODIDE_DIR

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
