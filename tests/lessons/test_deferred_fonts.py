"""matplotlib without the fonts and sample data the page defers (sitebuild.matplotlib_data)
draws every figure of the site pixel for pixel as the whole matplotlib does, never asking
for the deferred files; a figure in another font (serif, STIX or Computer Modern mathtext,
monospace) installs them first (lab_runner.matplotlib_data) and then draws the same too.

Each rendering runs in a fresh Python (render_figures.py): the whole matplotlib of the
test environment, or a copy of it without the deferred files (links to the same files),
given the whole font list, as Pyodide's matplotlib ships its prebuilt ``fontlist.json``.
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from lesson_snippets import ROOT
from matplotlib import image as mpimg
from render_figures import EXTRAS

sys.path.insert(0, str(ROOT))

from sitebuild.matplotlib_data import is_deferred

HERE = Path(__file__).resolve().parent
WHOLE = Path(matplotlib.__file__).resolve().parent


def render(out: Path, config: Path, *arguments: str, site: Path | None = None) -> dict:
    """Run render_figures.py with matplotlib's cache in ``config``, and matplotlib from
    ``site`` if given; return its report."""
    path = [str(site)] if site else []
    env = {**os.environ, "MPLCONFIGDIR": str(config),
           "PYTHONPATH": os.pathsep.join([*path, str(HERE)])}  # fmt: skip
    command = [sys.executable, str(HERE / "render_figures.py"), str(out), *arguments]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(out.read_text())


def slim_copy(site: Path) -> Path:
    """matplotlib as the page ships it: every file but the deferred ones (as links)."""
    for path in WHOLE.rglob("*"):
        relative = f"matplotlib/{path.relative_to(WHOLE).as_posix()}"
        if path.is_file() and not is_deferred(relative):
            (site / relative).parent.mkdir(parents=True, exist_ok=True)
            (site / relative).symlink_to(path)
    return site


@functools.cache
def renderings(tmp: Path) -> dict[str, dict]:
    whole_config, slim_config = tmp / "config-whole", tmp / "config-slim"
    whole = render(tmp / "whole.json", whole_config)
    # The whole font list, as written by the whole matplotlib (fonts by relative path).
    shutil.copytree(whole_config, slim_config)
    site = slim_copy(tmp / "site")
    data = WHOLE / "mpl-data"
    slim = render(tmp / "slim.json", slim_config, "--install-from", str(data), site=site)
    return {"whole": whole, "slim": slim}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict]:
    return renderings(tmp_path_factory.mktemp("matplotlib-data"))


def pixels(png_hex: str) -> np.ndarray:
    return mpimg.imread(io.BytesIO(bytes.fromhex(png_hex)), format="png")


def assert_same_pixels(got: list[str], expected: list[str], name: str) -> None:
    assert len(got) == len(expected), name
    for i, (a, b) in enumerate(zip(got, expected, strict=True)):
        a_pixels, b_pixels = pixels(a), pixels(b)
        assert a_pixels.shape == b_pixels.shape, f"{name}, figure {i + 1}"
        differing = int(np.any(a_pixels != b_pixels, axis=-1).sum())
        assert differing == 0, f"{name}, figure {i + 1}: {differing} pixels differ"


def test_every_figure_of_the_site_draws_the_same_without_asking_for_the_deferred_files(
    rendered,
) -> None:
    whole, slim = rendered["whole"]["figures"], rendered["slim"]["figures"]
    lessons = {cell: found for cell, found in whole.items() if cell not in EXTRAS}
    assert sum(len(found) for found in lessons.values()) >= 15
    for cell, found in lessons.items():
        assert_same_pixels(slim[cell], found, cell)
    assert rendered["slim"]["installs_after_lessons"] == 0


def test_a_figure_in_another_font_installs_them_once_and_draws_as_the_whole_matplotlib(
    rendered,
) -> None:
    for name in EXTRAS:
        assert name not in rendered["slim"]["errors"], rendered["slim"]["errors"][name]
        assert len(rendered["whole"]["figures"][name]) == 1
        assert_same_pixels(
            rendered["slim"]["figures"][name], rendered["whole"]["figures"][name], name
        )
    assert rendered["slim"]["installs"] == 1


def test_the_comparison_sees_a_figure_drawn_in_dejavu_sans_instead_of_serif(rendered) -> None:
    """What matplotlib would do without lab_runner.matplotlib_data (fall back to DejaVu
    Sans) would not pass for the serif figure."""
    sans = rendered["whole"]["figures"]["sans-serif"]
    serif = rendered["whole"]["figures"]["serif"]
    assert len(sans) == len(serif) == 1
    assert not np.array_equal(pixels(sans[0]), pixels(serif[0]))
