"""matplotlib's fonts and sample data that the page's figures never use, moved out of its
wheel into a second one (``MATPLOTLIB_DATA``), so they are not downloaded before the first
plot.  The worker installs that wheel right after ready, or at once on first use
(lab_runner.matplotlib_data); see ``MATPLOTLIB_KEPT_FONTS`` in config.py for what stays."""

from __future__ import annotations

import io
import zipfile

from .common import BuildError
from .config import MATPLOTLIB_DATA, MATPLOTLIB_KEPT_FONTS
from .wheels import files_wheel, local_lock_entry, repack_with_pyc

FONTS = "matplotlib/mpl-data/fonts/"
SAMPLE_DATA = "matplotlib/mpl-data/sample_data/"


def is_deferred(path: str) -> bool:
    """Whether a file of matplotlib's wheel moves to the second wheel: every font file but
    the kept ones, and all the sample data."""
    if path.endswith("/"):
        return False
    if path.startswith(FONTS):
        return path.rpartition("/")[2] not in MATPLOTLIB_KEPT_FONTS
    return path.startswith(SAMPLE_DATA)


def split_matplotlib(wheel: bytes, version: str) -> tuple[bytes, str, bytes]:
    """matplotlib's wheel without the deferred files (its RECORD rewritten), and the second
    wheel holding exactly them (its file name and bytes), both reproducible."""
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        deferred = {name: archive.read(name) for name in archive.namelist() if is_deferred(name)}
    if not any(name.startswith(FONTS) for name in deferred):
        raise BuildError("matplotlib's wheel has no fonts to defer: has its layout changed?")
    slim = repack_with_pyc(wheel, {}, "", keep_sources=True, drop=deferred)
    name, data = files_wheel(
        MATPLOTLIB_DATA.replace("-", "_"), version, dict(sorted(deferred.items()))
    )
    return slim, name, data


def matplotlib_data_lock_entry(file_name: str, data: bytes, version: str) -> dict:
    """The second wheel's entry in the page's lock (``file_name`` relative to the lock):
    no imports, no dependencies."""
    entry = local_lock_entry(MATPLOTLIB_DATA, file_name, data)
    return {**entry, "file_name": file_name, "version": version, "imports": [], "depends": []}
