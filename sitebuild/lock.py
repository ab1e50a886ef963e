"""The page's lock file (``py/pyodide-lock.json``): the shipped closure and our wheels, each
with the sha256 of what the site ships, and how its file names map to shipped files."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from .common import sha256_hex
from .config import AFTER_READY, LOCAL_PACKAGES, PYODIDE_DIR
from .wheels import local_lock_entry


def page_lock(
    official_lock: dict,
    closure: Iterable[str],
    shipped_as: dict[str, str],
    wheels: dict[str, bytes],
    ours: Iterable[str],
    extra: Iterable[dict] = (),
) -> bytes:
    """The page's own lock, as the bytes to write: the official entries of the ``closure``,
    less the dependencies installed after ready (``AFTER_READY``); the Pyodide wheels
    shipped under another name (``shipped_as``, given bytecode) with that name and their
    new sha256; and an entry for each of our wheels (``ours``, file names, in the order of
    ``LOCAL_PACKAGES``), then the ``extra`` entries (matplotlib's deferred data, say).
    ``wheels`` holds the shipped bytes by original file name."""
    lock = {
        "info": official_lock["info"],
        "packages": {name: dict(official_lock["packages"][name]) for name in closure},
    }
    for package, later in AFTER_READY.items():
        depends = lock["packages"][package]["depends"]
        lock["packages"][package]["depends"] = [name for name in depends if name not in later]
    for entry in lock["packages"].values():
        name = entry["file_name"]
        if name in shipped_as and shipped_as[name] != name:
            # A file name with a "/" is relative to the lock file (py/), as for our wheels.
            entry["file_name"] = f"../{PYODIDE_DIR}/{shipped_as[name]}"
            entry["sha256"] = sha256_hex(wheels[name])
    for package, file_name in zip(LOCAL_PACKAGES, ours, strict=True):
        entry = local_lock_entry(package, file_name, wheels[file_name])
        lock["packages"][entry["name"]] = entry
    for entry in extra:
        lock["packages"][entry["name"]] = entry
    return json.dumps(lock, indent=1, sort_keys=True).encode()


def shipped_path(out: Path, file_name: str) -> Path:
    """The file that a ``file_name`` of the page's lock names in a self-hosted build ``out``.

    Read as the worker reads it: with a "/", relative to the lock file (``py/``): our
    wheels (``wheels/…``) and the derived ones (``../pyodide/v…/pyc-…/…``); a bare name
    is in the Pyodide folder, as Pyodide itself reads it.
    """
    if "/" in file_name:
        return Path(os.path.normpath(out / "py" / file_name))
    return out / PYODIDE_DIR / file_name
