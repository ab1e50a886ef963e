"""Fixtures of the build's tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sample_site import write_sample_site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site (see sample_site.py), not yet compressed."""
    return write_sample_site(tmp_path / "site")
