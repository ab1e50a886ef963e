"""sitebuild.wheels: our wheels are sound, reproducible pure-Python wheels."""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitebuild.wheels import pure_wheel  # noqa: E402


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
