"""The test server: ``build.py serve``'s handler on a free localhost port, counting every
byte and request it answers; optionally over a simulated :class:`~.link.Link` and with
another host's ``Cache-Control`` header."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

from .link import Link
from .site_build import PYODIDE_DIR, make_handler

# The Cache-Control header each kind of host sends (None: build.py serve's own, immutable
# for the versioned Pyodide folder and assets/, no-cache for the pages).
CACHE_HEADERS: dict[str, str | None] = {
    "build.py serve (immutable)": None,
    "GitHub Pages (max-age=600)": "max-age=600",
    "Netlify (max-age=0, must-revalidate)": "public, max-age=0, must-revalidate",
    "no-store": "no-store",
}


@dataclass
class Request:
    path: str
    start: float  # time.time() when the request line arrived
    end: float
    wire_bytes: int  # everything sent: status line, headers, body
    body_bytes: int  # Content-Length (the compressed copy's length when one was sent)
    file_bytes: int  # the size of the file asked for, uncompressed
    status: int
    encoding: str | None
    accept_encoding: str = ""  # what the browser said it accepts


class _CountingWriter:
    """Wraps a handler's wfile, counts what goes through it, and sends it over the link."""

    def __init__(self, inner, link: Link | None) -> None:
        self.inner = inner
        self.link = link
        self.count = 0

    def write(self, data) -> int:
        self.count += len(data)
        if self.link is None:
            return self.inner.write(data)
        return self.link.write(self.inner.write, data)

    def __getattr__(self, name):
        return getattr(self.inner, name)


class _QuietServer(ThreadingHTTPServer):
    """Says nothing when the browser hangs up mid-response (a tab closed while loading)."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Server:
    """``sitebuild.serve.make_handler`` on a free localhost port, logging every request it answers.

    ``link``: every response goes over it (one link for all connections).
    ``cache_control``: sent instead of the handler's own Cache-Control header.
    """

    def __init__(
        self,
        directory: Path,
        *,
        isolated: bool = True,
        precompressed: bool = True,
        link: Link | None = None,
        cache_control: str | None = None,
    ):
        self.requests: list[Request] = []
        lock = threading.Lock()
        requests = self.requests
        base = make_handler(directory, isolated=isolated, precompressed=precompressed)

        class Counting(base):
            def setup(self) -> None:
                super().setup()
                self.wfile = _CountingWriter(self.wfile, link)

            def parse_request(self) -> bool:
                self.started = time.time()
                self.wfile.count = 0
                self.body_bytes = 0
                self.encoding = None
                self.status = 0
                parsed = super().parse_request()
                if parsed and link is not None:
                    link.wait_for_request()
                return parsed

            def send_response(self, code, message=None) -> None:
                self.status = int(code)
                super().send_response(code, message)

            def send_header(self, keyword: str, value: str) -> None:
                if keyword.lower() == "content-length":
                    self.body_bytes = int(value)
                elif keyword.lower() == "content-encoding":
                    self.encoding = value
                elif keyword.lower() == "cache-control" and cache_control is not None:
                    value = cache_control
                super().send_header(keyword, value)

            def accept_encoding(self) -> str:
                headers = getattr(self, "headers", None)
                return headers.get("Accept-Encoding", "") if headers else ""

            def handle_one_request(self) -> None:
                super().handle_one_request()
                if getattr(self, "started", None) is None:
                    return
                file = Path(self.translate_path(self.path))
                if file.is_dir():
                    file = file / "index.html"
                request = Request(
                    path=self.path,
                    start=self.started,
                    end=time.time(),
                    wire_bytes=self.wfile.count,
                    body_bytes=self.body_bytes,
                    file_bytes=file.stat().st_size if file.is_file() else 0,
                    status=self.status,
                    encoding=self.encoding,
                    accept_encoding=self.accept_encoding(),
                )
                self.started = None
                with lock:
                    requests.append(request)

        self.httpd = _QuietServer(("127.0.0.1", 0), Counting)
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def mark(self) -> int:
        return len(self.requests)

    def since(self, mark: int) -> list[Request]:
        return list(self.requests[mark:])

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def wire(requests: list[Request]) -> int:
    """Bytes on the wire: status lines, headers and bodies."""
    return sum(r.wire_bytes for r in requests)


def requests_per_path(requests: list[Request]) -> dict[str, int]:
    """How many times each path was asked for, in the order first asked."""
    return dict(Counter(r.path for r in requests))


def fetched_again(requests: list[Request]) -> dict[str, list[int]]:
    """The paths asked for more than once, each with the statuses of its answers
    (``[200, 200]``: the file was sent twice; ``[200, 304]``: sent, then revalidated)."""
    statuses: dict[str, list[int]] = {}
    for request in requests:
        statuses.setdefault(request.path, []).append(request.status)
    return {path: found for path, found in statuses.items() if len(found) > 1}


def bytes_sent_again(requests: list[Request]) -> int:
    """Bytes of full answers (200) to a path that had already been answered in full."""
    sent: set[str] = set()
    again = 0
    for request in requests:
        if request.status != 200:
            continue
        if request.path in sent:
            again += request.wire_bytes
        sent.add(request.path)
    return again


def python_file(path: str) -> bool:
    return path.startswith((f"/{PYODIDE_DIR}/", "/py/"))


def package_name(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1].split("?")[0]
    if name.endswith((".whl", ".zip")) and name != "python_stdlib.zip":
        return name
    return None
