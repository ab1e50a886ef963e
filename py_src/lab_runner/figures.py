"""matplotlib figures as PNG images with alt text, sent in order with the text around them.

Pyodide 0.27's default matplotlib backend draws on the page's DOM, which a Web Worker does
not have.  The runner selects :mod:`lab_runner.mpl_backend` instead (``MPLBACKEND``): Agg
renders each figure to PNG bytes, and :func:`send_open_figures` sends them

- when the learner calls ``plt.show()``, and
- at the end of a run, for figures left open (as Jupyter does).

Every image carries alt text built from the figure itself (titles, axis labels, legend
entries, how many points), so a screen reader can say what the plot shows.
"""

from __future__ import annotations

import dis
import io
import itertools
import json
import marshal
import math
import re
from importlib.util import cache_from_source, find_spec
from pathlib import Path
from types import CodeType

import numpy as np
from PIL import Image

from lab_runner import streams

DPI = 100
PAD_INCHES = 0.1  # the margin kept around the drawing, as savefig(bbox_inches="tight")


def figure_png(figure) -> tuple[bytes, int, int]:
    """Render a figure with Agg; return the PNG bytes and the image's width and height.

    The image is cropped to what is drawn plus a small margin, as Jupyter's
    ``savefig(bbox_inches="tight")`` does, but from a single drawing: the figure is drawn
    once, its tight box measured on that drawing and the pixels cut out (in Pyodide a
    third of the time of ``savefig``'s layout pass plus drawing).  When something sticks
    out of the canvas (a legend placed outside the axes, say), or the figure asks for
    another resolution, ``savefig(bbox_inches="tight")`` does it, enlarging the canvas.
    """
    box = None
    if figure.dpi == DPI:
        figure.canvas.draw()
        box = crop_box(figure)
    buffer = io.BytesIO()
    if box is None:
        figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=PAD_INCHES)
    else:
        left, top, right, bottom = box
        pixels = np.asarray(figure.canvas.buffer_rgba())[top:bottom, left:right]
        Image.fromarray(pixels).save(buffer, format="png", dpi=(DPI, DPI))
    data = buffer.getvalue()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return data, width, height


def crop_box(figure) -> tuple[int, int, int, int] | None:
    """The drawn figure's tight box plus margin, in pixels: (left, top, right, bottom).

    None when the drawing itself does not fit on the canvas.  The margin is trimmed where
    the canvas ends.  Pixel rows count from the top, matplotlib's y from the bottom.
    """
    dpi = figure.dpi
    drawn = figure.get_tightbbox(figure.canvas.get_renderer())
    width, height = figure.canvas.get_width_height(physical=True)
    if drawn.x0 < 0 or drawn.y0 < 0 or drawn.x1 * dpi > width or drawn.y1 * dpi > height:
        return None
    box = drawn.padded(PAD_INCHES)
    left, right = max(0, math.floor(box.x0 * dpi)), min(width, math.ceil(box.x1 * dpi))
    top = max(0, math.floor(height - box.y1 * dpi))
    bottom = min(height, math.ceil(height - box.y0 * dpi))
    if right <= left or bottom <= top:
        return None
    return left, top, right, bottom


def describe_axes(axes) -> str:
    """One sentence about one set of axes: title, axis labels, lines and point clouds."""
    words = []
    title = axes.get_title() or axes.get_title("left") or axes.get_title("right")
    words.append(f"plot titled “{title}”" if title else "plot")
    x_label, y_label = axes.get_xlabel(), axes.get_ylabel()
    if x_label or y_label:
        x_label, y_label = x_label or "unlabelled", y_label or "unlabelled"
        words.append(f"with x axis “{x_label}” and y axis “{y_label}”")
    shown = []
    for line in axes.get_lines():
        label = line.get_label()
        if label and not label.startswith("_"):
            shown.append(f"line “{label}”")
    lines_unlabelled = sum(1 for line in axes.get_lines() if line.get_label().startswith("_"))
    if lines_unlabelled:
        shown.append(f"{lines_unlabelled} unlabelled line{'s' * (lines_unlabelled > 1)}")
    shown.extend(filter(None, map(describe_collection, axes.collections)))
    if axes.patches:
        shown.append(f"{len(axes.patches)} bars or shapes")
    if shown:
        words.append("showing " + ", ".join(shown))
    return " ".join(words)


def describe_collection(collection) -> str:
    """A few words for a scatter, line segments, contours, a shaded area or a colour mesh."""
    from matplotlib.collections import LineCollection, PathCollection, PolyCollection, QuadMesh
    from matplotlib.contour import ContourSet

    label = collection.get_label()
    named = f" “{label}”" if label and not label.startswith("_") else ""
    if isinstance(collection, ContourSet):
        kind = "filled contours" if collection.filled else "contour lines"
        return f"{kind} at {len(collection.levels)} levels{named}"
    if isinstance(collection, PathCollection):
        count = len(collection.get_offsets())
        return f"{count} point{'s' * (count != 1)}{named}" if count else ""
    if isinstance(collection, LineCollection):
        count = len(collection.get_segments())
        return f"{count} line segment{'s' * (count != 1)}{named}" if count else ""
    if isinstance(collection, PolyCollection):
        return f"a shaded area{named}"
    if isinstance(collection, QuadMesh):
        return f"a colour map{named}"
    return f"a {type(collection).__name__}{named}"


def describe_figure(figure) -> str:
    """Alt text for a whole figure."""
    suptitle = figure._suptitle.get_text() if getattr(figure, "_suptitle", None) else ""
    axes = [ax for ax in figure.get_axes() if ax.get_visible()]
    parts = [describe_axes(ax) for ax in axes]
    text = "; ".join(parts) if parts else "an empty figure"
    if suptitle:
        text = f"Figure “{suptitle}”: {text}"
    else:
        text = f"Figure: {text}"
    return text[0].upper() + text[1:] + "."


def send_open_figures() -> int:
    """Send every open figure (oldest first) to the current output, then close them all."""
    import matplotlib.pyplot as plt

    output = streams.current()
    numbers = plt.get_fignums()
    for number in numbers:
        figure = plt.figure(number)
        png, width, height = figure_png(figure)
        if output is not None:
            alt = describe_figure(figure)
            output.send("figure", png=png, alt=alt, width=width, height=height)
    plt.close("all")
    return len(numbers)


_VERSION_LINE = re.compile(r"^\s*__version__\s*=\s*(\d+)\s*$", re.MULTILINE)


def declared_font_cache_version(font_manager: Path) -> int | None:
    """``FontManager.__version__`` as ``font_manager.py`` declares it, without importing it.

    Read from the source when it is there, else from its compiled ``.pyc`` (a build may
    ship bytecode only): the number is a constant stored as ``__version__`` in the class
    body.  None when neither is found.
    """
    if font_manager.exists():
        found = _VERSION_LINE.search(font_manager.read_text(encoding="utf-8"))
        return int(found.group(1)) if found else None
    for compiled in (Path(cache_from_source(font_manager)), font_manager.with_suffix(".pyc")):
        if compiled.exists():
            return _stored_constant(marshal.loads(compiled.read_bytes()[16:]), "__version__")
    return None


def _stored_constant(code: CodeType, name: str) -> int | None:
    """The integer constant a code object (or one nested in it) stores under name."""
    instructions = list(dis.get_instructions(code))
    for load, store in itertools.pairwise(instructions):
        if store.opname == "STORE_NAME" and store.argval == name and load.opname == "LOAD_CONST":
            if isinstance(load.argval, int):
                return load.argval
    for constant in code.co_consts:
        if isinstance(constant, CodeType) and (found := _stored_constant(constant, name)):
            return found
    return None


def repair_font_cache(matplotlib_dir: Path | None = None) -> bool:
    """Make matplotlib accept the font list it ships, instead of rebuilding it every session.

    Pyodide 0.27 ships matplotlib 3.8.4 with a prebuilt ``fontlist.json`` stamped
    ``"_version": 390`` while ``FontManager.__version__`` is 330, so every first import
    rebuilds the cache (about a second, and a warning on stderr).  The entries themselves
    are valid, so we restamp the file with the version the installed ``font_manager.py``
    declares.  Returns True when the file was rewritten.  Must run before matplotlib's
    ``font_manager`` is imported.
    """
    if matplotlib_dir is None:
        spec = find_spec("matplotlib")
        if spec is None or not spec.submodule_search_locations:
            return False
        matplotlib_dir = Path(next(iter(spec.submodule_search_locations)))
    fontlist = matplotlib_dir / "fontlist.json"
    expected = declared_font_cache_version(matplotlib_dir / "font_manager.py")
    if not fontlist.exists() or expected is None:
        return False
    cache = json.loads(fontlist.read_text(encoding="utf-8"))
    if cache.get("_version") == expected:
        return False
    cache["_version"] = expected
    fontlist.write_text(json.dumps(cache, indent=2), encoding="utf-8")
    return True
