"""Fixtures shared by the whole suite: the site built once per test session.

A build of the whole site takes 6-10 s (more on a busy machine); the build's tests and the
browser tests only read what it wrote, so they share one build of each kind instead of
building it again in every test that looks at it.  A test that changes files copies them
first (tests/browser/test_robustness.py, RecordingSite); a test about building again
(tests/build/test_bytecode.py, the same bytes twice) still builds its own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sitebuild.pipeline import build

CDN_URL = "https://cdn.example.org/pyodide/v0.27.7/full/"


@dataclass(frozen=True)
class Built:
    """A built site: its folder, and the page's config that build() returned."""

    out: Path
    config: dict


@pytest.fixture(scope="session")
def self_hosted_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The site as `python3 build.py` builds it: Pyodide's files served beside the pages."""
    out = tmp_path_factory.mktemp("site") / "dist"
    return Built(out, build(out))


@pytest.fixture(scope="session")
def cdn_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The site built with --pyodide-url CDN_URL: no Pyodide files of its own."""
    out = tmp_path_factory.mktemp("cdn-site") / "dist"
    return Built(out, build(out, pyodide_url=CDN_URL))
