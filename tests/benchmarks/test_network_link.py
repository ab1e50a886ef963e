"""The benchmark's test server: the simulated link and the requests it counts (CPython, loopback).

The link's lower bounds are physics (a megabyte at 10 Mbit/s takes 0.8 s); the upper bounds
are loose, for a loaded machine, and only catch a link that does not let data through.
"""

from __future__ import annotations

import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.page.link import MBIT, Link  # noqa: E402
from benchmarks.page.server import (  # noqa: E402
    Server,
    bytes_sent_again,
    fetched_again,
    requests_per_path,
    wire,
)

MEGABYTE = 1_000_000


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "one-megabyte.bin").write_bytes(bytes(MEGABYTE))
    (tmp_path / "half-a.bin").write_bytes(bytes(MEGABYTE // 2))
    (tmp_path / "half-b.bin").write_bytes(bytes(MEGABYTE // 2))
    (tmp_path / "a.txt").write_text("a" * 100)
    (tmp_path / "b.txt").write_text("b" * 100)
    return tmp_path


def fetch(url: str) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), dict(response.headers)


def timed(action) -> float:
    start = time.monotonic()
    action()
    return time.monotonic() - start


def test_a_megabyte_at_10_mbit_per_s_takes_about_0_8_s(files: Path) -> None:
    server = Server(files, link=Link(10 * MBIT))
    try:
        body = []
        seconds = timed(lambda: body.append(fetch(server.url + "one-megabyte.bin")[0]))
    finally:
        server.close()
    assert len(body[0]) == MEGABYTE
    assert 0.75 <= seconds < 4, seconds
    assert server.requests[0].wire_bytes > MEGABYTE  # the body, and the headers before it


def test_the_pipe_is_shared_by_concurrent_connections(files: Path) -> None:
    """Two half megabytes at once take as long as one megabyte, not half as long."""
    server = Server(files, link=Link(10 * MBIT))

    def both() -> None:
        threads = [
            threading.Thread(target=fetch, args=(server.url + name,))
            for name in ("half-a.bin", "half-b.bin")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    try:
        seconds = timed(both)
    finally:
        server.close()
    assert len(server.requests) == 2
    assert 0.75 <= seconds < 4, seconds


def test_every_request_waits_the_latency(files: Path) -> None:
    server = Server(files, link=Link(1000 * MBIT, latency_s=0.1))
    try:
        seconds = timed(lambda: [fetch(server.url + "a.txt") for _ in range(5)])
    finally:
        server.close()
    assert 0.5 <= seconds < 4, seconds


def test_without_a_link_a_megabyte_is_not_slowed_down(files: Path) -> None:
    server = Server(files)
    try:
        seconds = timed(lambda: fetch(server.url + "one-megabyte.bin"))
    finally:
        server.close()
    assert seconds < 0.75, seconds


def test_a_file_fetched_twice_shows_in_the_counts(files: Path) -> None:
    server = Server(files)
    try:
        for name in ("a.txt", "b.txt", "a.txt"):
            fetch(server.url + name)
    finally:
        server.close()
    requests = server.requests
    assert requests_per_path(requests) == {"/a.txt": 2, "/b.txt": 1}
    assert fetched_again(requests) == {"/a.txt": [200, 200]}
    second_a = requests[2]
    assert bytes_sent_again(requests) == second_a.wire_bytes > 100
    assert wire(requests) == sum(r.wire_bytes for r in requests)


def test_a_revalidation_is_a_request_but_no_bytes_sent_again(files: Path) -> None:
    server = Server(files)
    try:
        _, headers = fetch(server.url + "a.txt")
        again = urllib.request.Request(
            server.url + "a.txt", headers={"If-Modified-Since": headers["Last-Modified"]}
        )
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(again, timeout=30)
        assert answer.value.code == 304
    finally:
        server.close()
    assert fetched_again(server.requests) == {"/a.txt": [200, 304]}
    assert bytes_sent_again(server.requests) == 0


def test_another_hosts_cache_header_replaces_the_servers(files: Path) -> None:
    server = Server(files, cache_control="no-store")
    try:
        _, headers = fetch(server.url + "a.txt")
    finally:
        server.close()
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("bits_per_second", "latency_s", "sentence"),
    [(0, 0.02, "positive bandwidth"), (10 * MBIT, -1, "cannot be negative")],
)
def test_a_link_without_sense_is_refused_with_a_sentence(
    bits_per_second: float, latency_s: float, sentence: str
) -> None:
    with pytest.raises(ValueError, match=sentence):
        Link(bits_per_second, latency_s)
