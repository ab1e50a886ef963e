"""sitebuild.compress: precompress writes NAME.gz and NAME.br where they help, reproducibly."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sample_site import SCRIPT, WASM, brotli_decompress

from sitebuild.common import sha256_hex
from sitebuild.compress import precompress
from sitebuild.config import PYODIDE_DIR


def test_gzip_copies_decompress_to_the_original_and_only_where_they_help(
    site: Path, tmp_path: Path
) -> None:
    written = precompress(site, cache=tmp_path / "cache")
    copies = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.gz"))
    assert copies == [
        "assets/chunk-ABC.js.gz",
        "index.html.gz",
        f"{PYODIDE_DIR}/pyodide.asm.wasm.gz",
        f"{PYODIDE_DIR}/pyodide.mjs.gz",
    ]
    assert written == 4
    for copy in copies:
        original = site / copy.removesuffix(".gz")
        compressed = (site / copy).read_bytes()
        assert gzip.decompress(compressed) == original.read_bytes()
        assert len(compressed) < 0.5 * original.stat().st_size
    # A Brotli copy beside each gzip copy, and only there; smaller than the gzip copy.
    brotli = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.br"))
    assert brotli == [copy.removesuffix(".gz") + ".br" for copy in copies]
    for copy in brotli:
        original = (site / copy.removesuffix(".br")).read_bytes()
        compressed = (site / copy).read_bytes()
        assert brotli_decompress(compressed) == original
        gzipped = (site / (copy.removesuffix(".br") + ".gz")).read_bytes()
        assert len(compressed) <= len(gzipped)


def test_gzip_copies_are_reproducible_and_pyodide_files_are_compressed_once(
    site: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    precompress(site, cache=cache)
    first = (site / "assets/chunk-ABC.js.gz").read_bytes()
    # Only the versioned Pyodide files are cached (by sha256): they never change.
    cached = sorted(p.name for p in cache.iterdir())
    assert cached == sorted(
        f"{sha256_hex(data)}{suffix}" for data in (WASM, SCRIPT) for suffix in (".gz", ".br")
    )  # the .mjs and the .wasm; not the .whl, not the site's own files
    first_brotli = (site / "assets/chunk-ABC.js.br").read_bytes()
    (site / "assets/chunk-ABC.js.gz").unlink()
    wasm_cache = cache / f"{sha256_hex(WASM)}.gz"
    marker = gzip.compress(WASM, compresslevel=1, mtime=0)
    wasm_cache.write_bytes(marker)  # a second build reuses the cached copy
    precompress(site, cache=cache)
    assert (site / "assets/chunk-ABC.js.gz").read_bytes() == first
    assert (site / f"{PYODIDE_DIR}/pyodide.asm.wasm.gz").read_bytes() == marker
    assert (site / "assets/chunk-ABC.js.br").read_bytes() == first_brotli  # reproducible
    brotli_marker = b"kept Brotli copy"
    (cache / f"{sha256_hex(WASM)}.br").write_bytes(brotli_marker)  # the cache is read
    precompress(site, cache=cache)
    assert (site / f"{PYODIDE_DIR}/pyodide.asm.wasm.br").read_bytes() == brotli_marker
