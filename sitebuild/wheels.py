"""Wheels: ours (pure-Python ``py3-none-any``, reproducible) and any wheel or zip repacked
with the bytecode of its modules."""

from __future__ import annotations

import base64
import hashlib
import io
import tomllib
import zipfile
from collections.abc import Collection
from pathlib import Path

from .common import BuildError, sha256_hex
from .config import ROOT

# The fixed time stamp of every entry of a wheel we write (zip has no "no time").
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def project_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def pure_wheel(package_dir: Path, version: str) -> tuple[str, bytes]:
    """A ``py3-none-any`` wheel of one pure-Python package, byte-for-byte reproducible."""
    name = package_dir.name
    files = {
        path.relative_to(package_dir.parent).as_posix(): path.read_bytes()
        for path in sorted(package_dir.rglob("*.py"))
    }
    return files_wheel(name, version, files, top_level=name)


def files_wheel(
    name: str, version: str, files: dict[str, bytes], *, top_level: str = ""
) -> tuple[str, bytes]:
    """A ``py3-none-any`` wheel holding ``files`` (path in site-packages → bytes, in order):
    its file name and bytes, byte-for-byte reproducible.

    A wheel is a zip of the files plus a ``.dist-info`` folder (METADATA, WHEEL, RECORD).
    Fixed timestamps and sorted entries make the same files give the same sha256.
    """
    dist_info = f"{name}-{version}.dist-info"
    entries = dict(files)
    entries[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        "Summary: Part of Linear Regression Lab\n"
    ).encode()
    entries[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: linear-regression-lab build.py\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    if top_level:
        entries[f"{dist_info}/top_level.txt"] = f"{top_level}\n".encode()
    record = [record_line(path, data) for path, data in entries.items()]
    entries[f"{dist_info}/RECORD"] = record_file(f"{dist_info}/RECORD", record)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries.items():
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return f"{name}-{version}-py3-none-any.whl", buffer.getvalue()


def local_lock_entry(package: str, file_name: str, data: bytes) -> dict:
    """A lock-file entry for one of our wheels.

    ``file_name`` is relative to the lock file; the worker turns it into an absolute URL
    before Pyodide reads the lock, which works whether Pyodide is self-hosted or on a CDN.
    """
    return {
        "name": package.replace("_", "-"),
        "version": project_version(),
        "file_name": f"wheels/{file_name}",
        "install_dir": "site",
        "sha256": sha256_hex(data),
        "package_type": "package",
        "imports": [package],
        "depends": ["numpy"],
        "unvendored_tests": False,
        "shared_library": False,
    }


def pycache_name(source: str, cache_tag: str) -> str:
    """Where Python looks for the bytecode of ``source`` (PEP 3147): ``a/__pycache__/b.TAG.pyc``."""
    folder, _, name = source.rpartition("/")
    cached = f"__pycache__/{name.removesuffix('.py')}.{cache_tag}.pyc"
    return f"{folder}/{cached}" if folder else cached


def record_line(path: str, data: bytes) -> str:
    """A wheel RECORD line: path, urlsafe-base64 sha256 without padding, size (PEP 376/427)."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def record_file(record_path: str, lines: list[str]) -> bytes:
    """A wheel's RECORD: its files' lines, then its own line (no hash, no size) at the end."""
    return ("\n".join([*lines, f"{record_path},,"]) + "\n").encode()


def repack_with_pyc(
    archive: bytes,
    pycs: dict[str, bytes],
    cache_tag: str,
    *,
    keep_sources: bool,
    drop: Collection[str] = (),
) -> bytes:
    """The archive (a wheel, or the standard library's zip) with its modules' bytecode added.

    ``pycs`` maps a source's path in the archive (``pkg/mod.py``) to its .pyc.  With
    ``keep_sources`` the .pyc goes to ``pkg/__pycache__/mod.TAG.pyc`` beside the source,
    which Python prefers when the .pyc is valid and still reads for tracebacks and
    ``inspect``.  Without, the source is replaced by ``pkg/mod.pyc``: Python imports such a
    "sourceless" module from its bytecode alone, from a folder or a zip (what Pyodide's own
    ``pyodide py-compile`` does).  A source without a .pyc (one that did not compile)
    stays as it is.  The files named in ``drop`` are left out.  A wheel's RECORD is
    rewritten to list what the wheel now holds.

    Reproducible: entries sorted (a wheel's ``.dist-info`` folder last, RECORD at its end,
    as wheels have it), fixed time stamps, the source entries' permission bits.
    """
    entries: dict[str, tuple[bytes, int]] = {}
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        names = source.namelist()
        records = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/RECORD")]
        if len(records) > 1:
            raise BuildError(f"a wheel with more than one .dist-info/RECORD: {records}")
        for info in source.infolist():
            if info.filename in records or info.filename in drop:
                continue
            name, data = info.filename, source.read(info)
            attributes = info.external_attr or 0o644 << 16
            pyc = pycs.get(name)
            if pyc is None:  # other files, and folders (zipimport looks for those)
                entries[name] = (data, attributes)
            elif keep_sources:
                entries[name] = (data, attributes)
                entries[pycache_name(name, cache_tag)] = (pyc, 0o644 << 16)
            else:
                entries[name + "c"] = (pyc, 0o644 << 16)
    dist_info = records[0].removesuffix("RECORD") if records else None
    if records:
        files = {path: data for path, (data, _) in entries.items() if not path.endswith("/")}
        record = sorted(record_line(path, data) for path, data in files.items())
        entries[records[0]] = (record_file(records[0], record), 0o644 << 16)

    def order(path: str) -> tuple[bool, bool, str]:
        in_dist_info = dist_info is not None and path.startswith(dist_info)
        return (in_dist_info, path in records, path)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for path in sorted(entries, key=order):
            data, attributes = entries[path]
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.external_attr = attributes
            info.compress_type = zipfile.ZIP_STORED if path.endswith("/") else zipfile.ZIP_DEFLATED
            out.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
