"""sitebuild.lock: the page's lock names what the site ships, with the sha256 of those bytes."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sitebuild.config import PYODIDE_DIR
from sitebuild.lock import page_lock, shipped_path


def entry(file_name: str, depends: list[str]) -> dict:
    return {"file_name": file_name, "sha256": "official", "depends": depends}


OFFICIAL = {
    "info": {"python": "3.12.7"},
    "packages": {
        "matplotlib": entry("matplotlib-3.8.whl", ["numpy", "fonttools", "pytz", "six"]),
        "numpy": entry("numpy-2.0.whl", []),
        "six": entry("six-1.16.whl", []),
        "pandas": entry("pandas-2.2.whl", ["numpy"]),
    },
}


def test_the_page_lock_renames_derived_wheels_and_registers_ours() -> None:
    wheels = {
        "numpy-2.0.whl": b"numpy with bytecode",
        "linreg-0.1.0-py3-none-any.whl": b"linreg",
        "lab_runner-0.1.0-py3-none-any.whl": b"lab_runner",
    }
    shipped_as = {"numpy-2.0.whl": "pyc-abc/numpy-2.0.whl", "six-1.16.whl": "six-1.16.whl"}
    ours = ["lab_runner-0.1.0-py3-none-any.whl", "linreg-0.1.0-py3-none-any.whl"]
    lock = json.loads(page_lock(OFFICIAL, ["matplotlib", "numpy", "six"], shipped_as, wheels, ours))

    packages = lock["packages"]
    assert sorted(packages) == ["lab-runner", "linreg", "matplotlib", "numpy", "six"]
    assert packages["matplotlib"]["depends"] == ["numpy", "six"]  # fontTools, pytz after ready
    assert packages["numpy"]["file_name"] == f"../{PYODIDE_DIR}/pyc-abc/numpy-2.0.whl"
    assert packages["numpy"]["sha256"] == hashlib.sha256(b"numpy with bytecode").hexdigest()
    assert packages["six"] == OFFICIAL["packages"]["six"]  # shipped as published
    assert packages["linreg"]["file_name"] == "wheels/linreg-0.1.0-py3-none-any.whl"
    assert packages["linreg"]["sha256"] == hashlib.sha256(b"linreg").hexdigest()
    assert packages["lab-runner"]["imports"] == ["lab_runner"]
    assert OFFICIAL["packages"]["matplotlib"]["depends"][1] == "fonttools"  # not modified


def test_lock_file_names_resolve_as_the_worker_reads_them(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert shipped_path(out, "six-1.16.whl") == out / PYODIDE_DIR / "six-1.16.whl"
    assert shipped_path(out, "wheels/linreg.whl") == out / "py" / "wheels" / "linreg.whl"
    derived = f"../{PYODIDE_DIR}/pyc-abc/numpy-2.0.whl"
    assert shipped_path(out, derived) == out / PYODIDE_DIR / "pyc-abc" / "numpy-2.0.whl"
