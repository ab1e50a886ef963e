"""Serving ``dist/`` on 127.0.0.1 with the headers the page wants."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from .config import PYODIDE_DIR


def make_handler(directory: Path, *, isolated: bool = True, precompressed: bool = True):
    """A static file handler with the headers the page wants.

    - ``.wasm`` as ``application/wasm`` (Pyodide streams-compiles it and has no fallback);
    - COOP/COEP, so the page is cross-origin isolated (SharedArrayBuffer for Stop and input());
    - no caching of HTML, long caching of the versioned Pyodide folder and of ``assets/``
      (whose file names carry a hash of their content);
    - the Brotli copy ``NAME.br`` or the gzip copy ``NAME.gz`` written by
      :func:`precompress`, the first the browser accepts (``precompressed=False`` turns
      this off): ``Content-Encoding: br`` or ``gzip`` with the original file's
      ``Content-Type``, and ``Vary: Accept-Encoding``.
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
            self.has_compressed_copy = False
            super().__init__(*args, directory=str(directory), **kwargs)

        def accepts(self, encoding: str) -> bool:
            """Whether Accept-Encoding allows ``encoding`` (by name or ``*``, with q > 0)."""
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
            return allowed.get(encoding, allowed.get("*", 0.0)) > 0

        def send_head(self):
            """Like the standard handler, but answer with ``NAME.br`` or ``NAME.gz`` where that
            is allowed."""
            self.has_compressed_copy = False
            path = Path(self.translate_path(self.path))
            if path.is_dir() and urlsplit(self.path).path.endswith("/"):
                path = path / "index.html"
            copies = []  # (encoding, file), the smaller first
            if precompressed and path.is_file():
                for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                    if (copy := path.with_name(path.name + suffix)).is_file():
                        copies.append((encoding, copy))
            self.has_compressed_copy = bool(copies)
            chosen = next(((e, c) for e, c in copies if self.accepts(e)), None)
            if chosen is None:
                return super().send_head()
            encoding, compressed = chosen
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
            self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(os.fstat(file.fileno()).st_size))
            self.send_header("Last-Modified", self.date_time_string(modified.timestamp()))
            self.end_headers()
            return file

        def end_headers(self) -> None:
            if isolated:
                self.send_header("Cross-Origin-Opener-Policy", "same-origin")
                self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            if self.has_compressed_copy:
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
