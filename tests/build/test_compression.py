"""Precompressed copies: precompress writes NAME.gz, build.py serve sends it."""

from __future__ import annotations

import gzip
import http.client
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sitebuild.common import sha256_hex, write
from sitebuild.compress import precompress
from sitebuild.config import PYODIDE_DIR
from sitebuild.pipeline import build
from sitebuild.serve import make_handler

# Compressible stand-ins for the real files: repetitive, like code and wasm.
WASM = b"\x00asm\x01\x00\x00\x00" + b"".join(i.to_bytes(4, "little") for i in range(20_000))
SCRIPT = b"".join(b"export const value%d = %d;\n" % (i, i * i) for i in range(2_000))
GZIP = {"Accept-Encoding": "gzip"}
PAGE = b"<!doctype html><title>t</title>" + b"<p>Linear regression from scratch.</p>\n" * 200


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    files = {
        f"{PYODIDE_DIR}/pyodide.asm.wasm": WASM,
        f"{PYODIDE_DIR}/pyodide.mjs": SCRIPT,
        f"{PYODIDE_DIR}/numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl": SCRIPT,
        "assets/chunk-ABC.js": SCRIPT,
        "assets/tiny.css": b"body { margin: 0 }\n",
        "snippets.json": os.urandom(4096),  # incompressible: no copy
        "index.html": PAGE,
    }
    for name, data in files.items():
        write(root / name, data)
    return root


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


def test_gzip_copies_are_reproducible_and_pyodide_files_are_compressed_once(
    site: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    precompress(site, cache=cache)
    first = (site / "assets/chunk-ABC.js.gz").read_bytes()
    # Only the versioned Pyodide files are cached (by sha256): they never change.
    cached = sorted(p.name for p in cache.iterdir())
    assert cached == sorted(
        f"{sha256_hex(data)}.gz" for data in (WASM, SCRIPT)
    )  # the .mjs and the .wasm; not the .whl, not the site's own files
    (site / "assets/chunk-ABC.js.gz").unlink()
    wasm_cache = cache / f"{sha256_hex(WASM)}.gz"
    marker = gzip.compress(WASM, compresslevel=1, mtime=0)
    wasm_cache.write_bytes(marker)  # a second build reuses the cached copy
    precompress(site, cache=cache)
    assert (site / "assets/chunk-ABC.js.gz").read_bytes() == first
    assert (site / f"{PYODIDE_DIR}/pyodide.asm.wasm.gz").read_bytes() == marker


@contextmanager
def serving(directory: Path, **options) -> Iterator[tuple[str, int]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(directory, **options))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[:2]
    finally:
        server.shutdown()
        server.server_close()


def fetch(address, path: str, method: str = "GET", **headers):
    """(status, headers (case-insensitive), body) of one request, undecoded."""
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_the_server_sends_the_gzip_copy_as_wasm_to_browsers_that_accept_it(
    site: Path, tmp_path: Path
) -> None:
    precompress(site, cache=tmp_path / "cache")
    wasm_url = f"/{PYODIDE_DIR}/pyodide.asm.wasm"
    with serving(site) as address:
        status, headers, body = fetch(address, wasm_url, **{"Accept-Encoding": "gzip, br"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Content-Type"] == "application/wasm"
        assert headers["Vary"] == "Accept-Encoding"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
        assert int(headers["Content-Length"]) == len(body) < len(WASM)
        assert gzip.decompress(body) == WASM

        # No Accept-Encoding, or gzip refused: the plain file, still varying.
        for accept in ({}, {"Accept-Encoding": "br, gzip;q=0"}, {"Accept-Encoding": "identity"}):
            status, headers, body = fetch(address, wasm_url, **accept)
            assert (status, body) == (200, WASM), accept
            assert "Content-Encoding" not in headers
            assert headers["Content-Type"] == "application/wasm"
            assert headers["Vary"] == "Accept-Encoding"

        # The directory index is compressed too; HTML is never cached for long.
        status, headers, body = fetch(address, "/", **{"Accept-Encoding": "*"})
        assert (status, headers["Content-Type"], headers["Content-Encoding"]) == (
            200,
            "text/html",
            "gzip",
        )
        assert gzip.decompress(body) == PAGE
        assert headers["Cache-Control"] == "no-cache"

        # HEAD: the same headers, no body; a cached copy is revalidated with 304.
        status, head, body = fetch(address, "/index.html", "HEAD", **GZIP)
        assert (status, body, head["Content-Encoding"]) == (200, b"", "gzip")
        status, _, body = fetch(
            address,
            "/index.html",
            **{"Accept-Encoding": "gzip", "If-Modified-Since": head["Last-Modified"]},
        )
        assert (status, body) == (304, b"")

        # A file without a copy: no Content-Encoding, no Vary.
        status, headers, body = fetch(address, "/assets/tiny.css", **GZIP)
        assert (status, body) == (200, b"body { margin: 0 }\n")
        assert "Content-Encoding" not in headers and "Vary" not in headers


def test_precompressed_false_serves_plain_files(site: Path, tmp_path: Path) -> None:
    precompress(site, cache=tmp_path / "cache")
    with serving(site, precompressed=False) as address:
        status, headers, body = fetch(address, "/assets/chunk-ABC.js", **GZIP)
    assert (status, body) == (200, SCRIPT)
    assert "Content-Encoding" not in headers
    assert headers["Content-Type"] == "text/javascript"


def test_a_build_leaves_gzip_copies_of_the_pyodide_core_and_the_pages(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(out)
    pyodide = out / PYODIDE_DIR
    for name in ("pyodide.asm.wasm", "pyodide.asm.js", "pyodide.mjs"):
        copy = (pyodide / f"{name}.gz").read_bytes()
        assert gzip.decompress(copy) == (pyodide / name).read_bytes()
    assert (out / "index.html.gz").exists()
    assert (out / "py" / "pyodide-lock.json.gz").exists()
    assert not list(out.rglob("*.whl.gz")) and not list(out.rglob("*.zip.gz"))
    wasm = pyodide / "pyodide.asm.wasm"
    assert (pyodide / "pyodide.asm.wasm.gz").stat().st_size < 0.35 * wasm.stat().st_size
