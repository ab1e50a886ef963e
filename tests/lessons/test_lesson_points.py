"""The lesson's 100 points in the page's widgets are the Python cells' points, exactly.

The drag-the-line widget and the loss-surface panels draw ``web/lessons/data/lesson-points.json``
in JavaScript, with no Python in the page.  Those numbers are NumPy's PCG64 generator and
ziggurat normals, which nobody should re-implement in JavaScript, so the file is generated
from the lesson's own data cell and committed; this test runs that cell (as shipped, read from
the Markdown) and fails if one bit differs.  After changing how the lesson makes its data:

    .venv/bin/python tests/lessons/test_lesson_points.py      # writes the JSON again

The least-squares line the widget reveals is computed by the page's own module
(``web/js/explore/least-squares.js``, run here by Node) and compared with ``np.polyfit``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lesson_snippets import ROOT, run_code, snippet

POINTS = ROOT / "web" / "lessons" / "data" / "lesson-points.json"
SOURCE_CELL = "polyfit"  # the shortest cell that makes the lesson's data


def points_from_the_lesson() -> dict:
    """x and y as the lesson's cell makes them (run exactly as shipped)."""
    run = run_code(snippet(SOURCE_CELL).code, SOURCE_CELL)
    assert run.status == "ok", run.output
    x, y = run.namespace["x"], run.namespace["y"]
    return {
        "source": f"web/lessons/index.md, cell {SOURCE_CELL}: regenerate with "
        "`.venv/bin/python tests/lessons/test_lesson_points.py`",
        "x": [float(v) for v in x],
        "y": [float(v) for v in y],
    }


def test_the_widgets_points_are_the_cells_points() -> None:
    shipped = json.loads(POINTS.read_text())
    expected = points_from_the_lesson()
    assert len(shipped["x"]) == len(shipped["y"]) == 100
    # JSON keeps a float's shortest repr, which reads back to the same double: equality is exact.
    assert shipped["x"] == expected["x"]
    assert shipped["y"] == expected["y"]


def run_node(script: str) -> object:
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_pages_least_squares_line_is_numpys() -> None:
    data = json.loads(POINTS.read_text())
    x, y = np.array(data["x"]), np.array(data["y"])
    found = run_node(
        "import { leastSquares, sumOfSquares } from './web/js/explore/least-squares.js';"
        "import fs from 'node:fs';"
        "const { x, y } = JSON.parse(fs.readFileSync('web/lessons/data/lesson-points.json'));"
        "const fit = leastSquares(x, y);"
        "console.log(JSON.stringify({ ...fit, loss: sumOfSquares(x, y, fit.w0, fit.w1),"
        " other: sumOfSquares(x, y, 12, 1) }));"
    )
    slope, intercept = np.polyfit(x, y, 1)
    assert found["w1"] == np.float64(slope).item() or abs(found["w1"] - slope) < 1e-12
    assert abs(found["w0"] - intercept) < 1e-12
    assert abs(found["loss"] - np.sum((y - (slope * x + intercept)) ** 2)) < 1e-9
    # the loss cell's first candidate, y = 1.0x + 12.0, as the cell computes it
    loss_cell = run_code(snippet("loss").code, "loss")
    assert abs(found["other"] - loss_cell.namespace["loss"](12.0, 1.0)) < 1e-9


def test_the_contour_levels_enclose_the_minimum() -> None:
    """Marching squares: each contour of L(w₀, w₁) = c lies where L is c, within a grid cell."""
    found = run_node(
        "import { leastSquares, lossGrid, contourLines, sumOfSquares } from"
        " './web/js/explore/least-squares.js';"
        "import fs from 'node:fs';"
        "const { x, y } = JSON.parse(fs.readFileSync('web/lessons/data/lesson-points.json'));"
        "const fit = leastSquares(x, y);"
        "const grid = lossGrid(x, y, [-6, 14], [0, 5], 60, 60);"
        "const level = 2 * sumOfSquares(x, y, fit.w0, fit.w1);"
        "const lines = contourLines(grid, level);"
        "const errors = lines.flat().map(([w0, w1]) => sumOfSquares(x, y, w0, w1) / level - 1);"
        "const worst = Math.max(...errors.map(Math.abs));"
        "console.log(JSON.stringify({ count: lines.length, worst, points: lines.flat().length }));"
    )
    assert found["count"] >= 1
    assert found["points"] > 20
    assert found["worst"] < 0.02  # linear interpolation across one cell of a smooth bowl


if __name__ == "__main__":
    POINTS.write_text(json.dumps(points_from_the_lesson(), indent=1) + "\n")
    print(f"wrote {POINTS.relative_to(ROOT)}")
