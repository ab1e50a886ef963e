"""Render every figure of the site in a fresh Python, for test_deferred_fonts.py.

``python render_figures.py OUT [--install-from MPL_DATA]`` runs every lesson cell and
every exercise's starter, solution and known mistakes (as lab_runner runs them), then
EXTRAS (figures in fonts the lessons never use; the first to need one, a PDF with the
PostScript core fonts, installs them by reading AFM metrics), and writes to OUT (JSON)
each figure's PNG (hex) and how many times matplotlib's deferred data was installed,
after the lessons and at the end.  With ``--install-from``, lab_runner.matplotlib_data is set up as
in the page, its install copying the deferred files from that (whole) ``mpl-data``.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from lesson_snippets import ROOT, lessons_json, run_code, snippets

sys.path.insert(0, str(ROOT))

EXTRAS = {
    "sans-serif": """
import matplotlib.pyplot as plt
plt.plot([0, 1, 2], [1, 3, 2])
plt.title("Serif: y = w x + b, bold", fontweight="bold")
plt.xlabel("italic x", style="italic")
plt.show()
""",
    "pdf-core-fonts": """
import io
import matplotlib.pyplot as plt
with plt.rc_context({"pdf.use14corefonts": True}):  # metrics from pdfcorefonts/*.afm
    figure = plt.figure()
    figure.text(0.1, 0.5, "Helvetica, from its AFM metrics")
    pdf = io.BytesIO()
    figure.savefig(pdf, format="pdf", metadata={"CreationDate": None})
    plt.close(figure)
plt.title(f"{len(pdf.getvalue())} bytes of PDF, Helvetica: {b'Helvetica' in pdf.getvalue()}")
plt.show()
""",
    "serif": """
import matplotlib.pyplot as plt
with plt.rc_context({"font.family": "serif"}):
    plt.plot([0, 1, 2], [1, 3, 2])
    plt.title("Serif: y = w x + b, bold", fontweight="bold")
    plt.xlabel("italic x", style="italic")
    plt.show()
""",
    "stix-mathtext": r"""
import matplotlib.pyplot as plt
with plt.rc_context({"mathtext.fontset": "stix"}):
    plt.plot([0, 1, 2], [1, 3, 2])
    plt.title(r"$\hat{y} = \sum_i w_i x_i + b$")
    plt.show()
""",
    "cm-and-monospace": r"""
import matplotlib.pyplot as plt
with plt.rc_context({"mathtext.fontset": "cm"}):
    plt.plot([0, 1, 2], [1, 3, 2])
    plt.title(r"$\mathcal{L}(w) = \frac{1}{n} \Vert y - Xw \Vert^2$")
    plt.xlabel("print(w)", family="monospace")
    plt.show()
""",
}


def site_code() -> list[tuple[str, str]]:
    """(cell id, code) of every piece of Python of the site that may draw."""
    codes = [(found.cell_id, found.code) for found in snippets()]
    for found in lessons_json().values():
        for exercise in found["exercises"]:
            cell = f"exercise-{exercise['id']}"
            codes += [(cell, exercise["starter"]), (cell, exercise["solution"])]
            codes += [(cell, mistake["code"]) for mistake in exercise["mistakes"]]
    return codes


def main(out: Path, install_from: Path | None) -> None:
    from sitebuild.matplotlib_data import is_deferred

    data = None
    if install_from is not None:
        import matplotlib
        from lab_runner.matplotlib_data import install_on_first_use

        target = Path(matplotlib.get_data_path())

        def install() -> None:
            for path in install_from.rglob("*"):
                relative = path.relative_to(install_from).as_posix()
                if path.is_file() and is_deferred(f"matplotlib/mpl-data/{relative}"):
                    (target / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target / relative)

        data = install_on_first_use(install)
        if "fontTools" in sys.modules:  # the page installs it after ready
            raise SystemExit("lab_runner.matplotlib_data imported fontTools")
    figures: dict[str, list[str]] = {}
    errors: dict[str, str] = {}

    def draw(cell: str, code: str) -> None:
        run = run_code(code, cell)
        figures.setdefault(cell, []).extend(figure.png.hex() for figure in run.figures)
        if run.status == "error" and run.figures == []:
            errors[cell] = run.output[-2000:]

    for cell, code in site_code():
        draw(cell, code)
    after_lessons = data.installs if data else 0
    for name, code in EXTRAS.items():
        draw(name, code)
    report = {"figures": figures, "errors": errors, "installs_after_lessons": after_lessons,
              "installs": data.installs if data else 0}  # fmt: skip
    out.write_text(json.dumps(report))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    source = (
        Path(arguments[arguments.index("--install-from") + 1])
        if "--install-from" in arguments
        else None
    )
    main(Path(arguments[0]), source)
