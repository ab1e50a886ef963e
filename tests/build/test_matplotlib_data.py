"""sitebuild.matplotlib_data: matplotlib's wheel is shipped without the fonts and sample data
the figures never use, and a second wheel holds exactly those, byte for byte."""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitebuild.config import MATPLOTLIB_DATA, MATPLOTLIB_KEPT_FONTS  # noqa: E402
from sitebuild.lock import page_lock  # noqa: E402
from sitebuild.matplotlib_data import (  # noqa: E402
    is_deferred,
    matplotlib_data_lock_entry,
    split_matplotlib,
)
from sitebuild.pyodide_dist import (  # noqa: E402
    fetch_pyodide_core,
    fetch_wheel_archive,
    verified_package_files,
)

FONTS = "matplotlib/mpl-data/fonts/"


@functools.cache
def official_matplotlib() -> tuple[dict, dict, bytes]:
    """Pyodide's lock, its matplotlib entry and its verified wheel."""
    official = json.loads(fetch_pyodide_core()["pyodide-lock.json"])
    entry = official["packages"]["matplotlib"]
    files = verified_package_files(official["packages"], ["matplotlib"], fetch_wheel_archive())
    return official, entry, files[entry["file_name"]]


def contents(wheel: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def assert_record_is_true(files: dict[str, bytes]) -> None:
    """Every line of the wheel's RECORD names a file it holds, with its sha256 and size."""
    [record] = [name for name in files if name.endswith(".dist-info/RECORD")]
    listed = set()
    for line in files[record].decode().splitlines():
        path, digest, size = line.rsplit(",", 2)
        listed.add(path)
        if path == record:
            continue
        expected = base64.urlsafe_b64encode(hashlib.sha256(files[path]).digest()).rstrip(b"=")
        assert digest == "sha256=" + expected.decode(), path
        assert int(size) == len(files[path]), path
    assert listed == {name for name in files if not name.endswith("/")}


def test_the_slim_wheel_lacks_exactly_the_deferred_files_which_the_second_holds() -> None:
    _, entry, wheel = official_matplotlib()
    slim, name, data = split_matplotlib(wheel, entry["version"])
    original, kept, moved = contents(wheel), contents(slim), contents(data)
    deferred = {path for path in original if is_deferred(path)}
    fonts = {path.rpartition("/")[2] for path in original if path.startswith(FONTS)}
    newer = {"LastResortHE-Regular.ttf"}  # only in matplotlib 3.10 and later
    assert set(MATPLOTLIB_KEPT_FONTS) - newer <= fonts  # a kept name that is no font is a typo
    assert {"DejaVuSerif.ttf", "STIXGeneral.ttf", "cmr10.ttf", "Helvetica.afm"} <= fonts
    assert len(deferred) > 100
    assert "matplotlib/mpl-data/sample_data/grace_hopper.jpg" in deferred
    # The slim wheel: everything else, unchanged, and no deferred file.
    records = {path for path in original if path.endswith(".dist-info/RECORD")}
    assert set(kept) == set(original) - deferred
    for path in set(kept) - records:
        assert kept[path] == original[path], path
    kept_fonts = {path.rpartition("/")[2] for path in kept if path.startswith(FONTS)}
    assert kept_fonts - {""} == set(MATPLOTLIB_KEPT_FONTS) - newer
    assert_record_is_true(kept)
    # The second wheel: exactly the deferred files, byte for byte, and its own metadata.
    assert name == f"matplotlib_data-{entry['version']}-py3-none-any.whl"
    dist_info = f"matplotlib_data-{entry['version']}.dist-info/"
    assert {path for path in moved if not path.startswith(dist_info)} == deferred
    for path in deferred:
        assert moved[path] == original[path], path
    assert_record_is_true(moved)
    # What it saves before the first plot (zipped, as downloaded): most of the 4.5 MB.
    assert len(wheel) - len(slim) > 3_500_000
    assert split_matplotlib(wheel, entry["version"]) == (slim, name, data)  # reproducible


def test_the_lock_lists_the_second_wheel_with_its_sha256_and_no_dependency() -> None:
    official, entry, wheel = official_matplotlib()
    slim, name, data = split_matplotlib(wheel, entry["version"])
    data_entry = matplotlib_data_lock_entry(f"../somewhere/{name}", data, entry["version"])
    lab_runner = b"not a real wheel, only hashed"
    lock = json.loads(
        page_lock(
            official,
            ["matplotlib"],
            {entry["file_name"]: f"pyc/{entry['file_name']}"},
            {entry["file_name"]: slim, "lab.whl": lab_runner, "linreg.whl": lab_runner},
            ["lab.whl", "linreg.whl"],
            [data_entry],
        )
    )
    listed = lock["packages"][MATPLOTLIB_DATA]
    assert listed["sha256"] == hashlib.sha256(data).hexdigest()
    assert listed["file_name"] == f"../somewhere/{name}"
    assert listed["depends"] == [] and listed["imports"] == []
    assert listed["install_dir"] == "site" and listed["package_type"] == "package"
    assert lock["packages"]["matplotlib"]["sha256"] == hashlib.sha256(slim).hexdigest()


def test_only_fonts_and_sample_data_are_deferred() -> None:
    assert is_deferred("matplotlib/mpl-data/fonts/ttf/DejaVuSerif.ttf")
    assert is_deferred("matplotlib/mpl-data/fonts/pdfcorefonts/Times-Roman.afm")
    assert is_deferred("matplotlib/mpl-data/sample_data/axes_grid/bivariate_normal.npy")
    assert not is_deferred("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf")
    assert not is_deferred("matplotlib/mpl-data/fonts/ttf/")
    assert not is_deferred("matplotlib/mpl-data/stylelib/ggplot.mplstyle")
    assert not is_deferred("matplotlib/fontlist.json")
