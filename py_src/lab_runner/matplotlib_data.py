"""matplotlib's fonts and sample data, installed the first time a figure needs one.

The page ships matplotlib without the fonts its figures never draw with (DejaVu Serif and
Mono, STIX, Computer Modern, the PostScript metrics) and without its sample data: they are
a second package that the worker installs in the background once Python is ready.  A
figure that asks for one of those fonts sooner (``font.family = "serif"``, mathtext with
``mathtext.fontset = "stix"``) must still look exactly as with the whole of matplotlib,
never silently drawn in DejaVu Sans instead.  So :func:`install_on_first_use`:

- leaves an empty *placeholder* at the path of each missing font that matplotlib's font
  list names, so that choosing a font (``findfont``, which mathtext does for a dozen fonts
  it may never open) still finds the right file instead of rebuilding the list without it;
- installs the package, once, when a placeholder is about to be opened (to draw a glyph
  or read PostScript metrics), or when a run asks for sample data that is not there.

A font file is never empty, so an empty one is a placeholder.  The caller supplies the
installing (in the browser: the worker downloads the wheel and unpacks it, replacing the
placeholders), so this module never touches the network itself.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path


class DataOnFirstUse:
    """Calls ``install()`` the first time one of matplotlib's missing files is needed."""

    def __init__(self, install: Callable[[], None]) -> None:
        self._install = install
        self.installs = 0

    def ensure(self, paths: Iterable[str | os.PathLike | tuple]) -> None:
        """Install the package if any of ``paths`` is a placeholder or missing (a path may
        come as ``(path, face index)``, as matplotlib 3.10 and later give them)."""
        files = [path[0] if isinstance(path, tuple) else path for path in paths]
        if any(is_placeholder(file) or not os.path.exists(file) for file in files):
            self.install()

    def install(self) -> None:
        self.installs += 1
        try:
            self._install()
        except Exception as error:
            raise RuntimeError(
                "matplotlib's other fonts and sample data could not be downloaded "
                f"({error}). Check the connection, then run the cell again."
            ) from error


def is_placeholder(path: str | os.PathLike) -> bool:
    """Whether a font path is one of our empty placeholders (a real font is never empty)."""
    try:
        return os.path.getsize(path) == 0
    except OSError:
        return False


def leave_placeholders(paths: Iterable[str]) -> list[str]:
    """An empty file at each of ``paths`` that does not exist; returns those paths."""
    made = []
    for path in paths:
        if not os.path.exists(path):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).touch()
            made.append(path)
    return made


def wrap(module: object, name: str, before: Callable[..., None]) -> None:
    """Replace ``module.name`` by a function that calls ``before(*args)`` first."""
    original = getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        before(*args)
        return original(*args, **kwargs)

    setattr(module, name, wrapper)


def install_on_first_use(install: Callable[[], None]) -> DataOnFirstUse:
    """Make matplotlib install its missing fonts and sample data (``install()``) when
    first needed, as the module's docstring says.  Call it once, before drawing."""
    import matplotlib.font_manager as font_manager
    from matplotlib import cbook
    from matplotlib.backends import _backend_pdf_ps

    data = DataOnFirstUse(install)
    manager = font_manager.fontManager
    leave_placeholders(font.fname for font in (*manager.ttflist, *manager.afmlist))
    # Every font matplotlib opens to draw goes through _get_font(paths, ...); PDF and
    # PostScript read metrics through _cached_get_afm_from_fname(path).
    wrap(font_manager, "_get_font", lambda paths, *_: data.ensure(paths))
    wrap(_backend_pdf_ps, "_cached_get_afm_from_fname", lambda path, *_: data.ensure([path]))
    wrap(
        cbook,
        "get_sample_data",
        lambda name, *_: data.ensure([cbook._get_data_path("sample_data", name)]),
    )
    return data
