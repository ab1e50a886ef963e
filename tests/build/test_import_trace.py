"""sitebuild.import_trace: the lessons are read through the one Markdown parser, and every
piece of Python it reports is traced."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sitebuild.common import BuildError
from sitebuild.import_trace import (
    lesson_report,
    main_snippet,
    python_sources,
    snippet_imports,
)

LESSON = """# A lesson

```python cell=main
import numpy as np
print(np.pi)
```

```python exercise=design-matrix
import fractions
X = ...
```

```python
import not_a_cell  # a plain code block: shown, never run
```
"""


def test_the_parser_reports_cells_and_every_part_of_an_exercise(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text(LESSON)
    report = lesson_report(tmp_path)
    assert main_snippet(report) == "import numpy as np\nprint(np.pi)\n"
    [exercise] = report["index.md"]["exercises"]  # its hints, solution, check and mistakes
    # come from web/lessons/exercises/design-matrix.md
    sources = python_sources(report)
    assert exercise["starter"] == "import fractions\nX = ...\n"
    expected = [exercise["starter"], exercise["solution"], exercise["check"]]
    expected += [mistake["code"] for mistake in exercise["mistakes"]]
    assert exercise["mistakes"] and all(code.strip() for code in expected)
    assert sorted(sources) == sorted([main_snippet(report), *expected])
    assert "fractions" in snippet_imports(sources)
    assert "not_a_cell" not in snippet_imports(sources)


def test_python_is_found_wherever_the_report_puts_it() -> None:
    report = {
        "a.md": {"cells": [{"id": "x", "code": "import a"}], "later": {"solution": "import b"}},
        "b.md": {"exercises": [{"title": "import c", "mistakes": [{"code": "import d"}]}]},
    }
    assert snippet_imports(python_sources(report)) == ["a", "b", "d"]  # a title is not code


def test_without_a_main_cell_the_build_stops_with_a_sentence(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("# A lesson\n\n```python cell=other\nx = 1\n```\n")
    with pytest.raises(BuildError, match=r"no lesson has a ```python cell=main block"):
        main_snippet(lesson_report(tmp_path))


def test_a_lesson_the_parser_refuses_stops_the_build_naming_it(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("# A lesson\n\n```python cell=a b\nx = 1\n```\n")
    with pytest.raises(BuildError, match=r"index\.md: cannot read the cell fence"):
        lesson_report(tmp_path)
