"""sitebuild.serve: the server sends the Brotli and gzip copies precompress wrote, with the
right headers."""

from __future__ import annotations

import gzip
import http.client
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sample_site import GZIP, PAGE, SCRIPT, WASM, brotli_decompress

from sitebuild.compress import precompress
from sitebuild.config import PYODIDE_DIR
from sitebuild.serve import make_handler


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


def test_the_server_sends_the_brotli_or_gzip_copy_as_wasm_to_browsers_that_accept_it(
    site: Path, tmp_path: Path
) -> None:
    precompress(site, cache=tmp_path / "cache")
    wasm_url = f"/{PYODIDE_DIR}/pyodide.asm.wasm"
    with serving(site) as address:
        # Brotli first when the browser takes it (every current browser does, over HTTPS
        # and on localhost): the smaller copy.
        for accept in ("gzip, deflate, br, zstd", "br", "*", "br;q=0.5, gzip;q=1"):
            status, headers, body = fetch(address, wasm_url, **{"Accept-Encoding": accept})
            assert (status, headers["Content-Encoding"]) == (200, "br"), accept
            assert headers["Content-Type"] == "application/wasm"
            assert headers["Vary"] == "Accept-Encoding"
            assert brotli_decompress(body) == WASM
        gzipped = fetch(address, wasm_url, **{"Accept-Encoding": "gzip"})[2]
        assert len(body) < len(gzipped)

        # gzip where Brotli is refused or not named.
        status, headers, body = fetch(address, wasm_url, **{"Accept-Encoding": "gzip, br;q=0"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Content-Type"] == "application/wasm"
        assert headers["Vary"] == "Accept-Encoding"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
        assert int(headers["Content-Length"]) == len(body) < len(WASM)
        assert gzip.decompress(body) == WASM

        # No Accept-Encoding, or both refused: the plain file, still varying.
        for accept in (
            {},
            {"Accept-Encoding": "br;q=0, gzip;q=0"},
            {"Accept-Encoding": "identity"},
        ):
            status, headers, body = fetch(address, wasm_url, **accept)
            assert (status, body) == (200, WASM), accept
            assert "Content-Encoding" not in headers
            assert headers["Content-Type"] == "application/wasm"
            assert headers["Vary"] == "Accept-Encoding"

        # The directory index is compressed too; HTML is never cached for long.
        status, headers, body = fetch(address, "/", **{"Accept-Encoding": "gzip"})
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
