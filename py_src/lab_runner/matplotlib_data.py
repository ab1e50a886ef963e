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
    first needed, as the module's docstring says.  Call it once, before drawing.

    Imports nothing that drawing a PNG does not (``matplotlib.backends._backend_pdf_ps``
    would import fontTools, which the page installs after ready)."""
    import matplotlib.font_manager as font_manager
    from matplotlib import _afm, cbook

    data = DataOnFirstUse(install)
    manager = font_manager.fontManager
    leave_placeholders(font.fname for font in (*manager.ttflist, *manager.afmlist))
    # Every font matplotlib opens to draw goes through _get_font(paths, ...).
    wrap(font_manager, "_get_font", lambda paths, *_: data.ensure(paths))
    wrap(
        cbook,
        "get_sample_data",
        lambda name, *_: data.ensure([cbook._get_data_path("sample_data", name)]),
    )
    # PDF and PostScript read font metrics with AFM(open(path, "rb")), binding the name
    # AFM when their helper module is first imported: so AFM is replaced before that.
    _afm.AFM = afm_on_first_use(_afm.AFM, data)
    return data


def afm_on_first_use(afm: type, data: DataOnFirstUse) -> type:
    """matplotlib's AFM reader, which installs the package first if handed a placeholder."""

    class AFM(afm):
        def __init__(self, fh) -> None:
            name = getattr(fh, "name", None)
            if not isinstance(name, str) or not is_placeholder(name):
                super().__init__(fh)
                return
            data.install()
            with open(name, "rb") as real:
                super().__init__(real)

    AFM.__qualname__ = AFM.__name__ = afm.__name__
    AFM.__module__ = afm.__module__
    return AFM
