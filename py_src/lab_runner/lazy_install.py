"""Packages installed the moment they are first imported.

matplotlib's entry in Pyodide's lock file lists fontTools and pytz, but drawing a PNG needs
neither (matplotlib imports fontTools only to embed font subsets in PDF and PostScript
files, and pytz not at all).  So the page does not fetch them before Python is ready: the
worker installs them in the background afterwards.  A run that needs one sooner, say
``savefig("fit.pdf")`` in the first seconds, must not fail for it, so
:func:`install_on_first_import` puts a finder on ``sys.meta_path`` that installs a listed
package when Python looks for it and finds nothing, and then lets the import go on.

The caller supplies the installing (in the browser: the worker downloads the wheel and
hands it to :func:`install_wheel`), so this module never touches the network itself.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import sys
import zipfile
from collections.abc import Callable
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path

INSTALLER = "lab_runner.lazy_install"


class InstallOnFirstImport:
    """A meta path finder: `modules` maps a top-level module name to the package that
    provides it; the first import of one that is not installed calls ``install(package)``
    once, then finds the module as Python's own path finder would."""

    def __init__(self, modules: dict[str, str], install: Callable[[str], None]) -> None:
        self.modules = dict(modules)
        self.install = install

    def find_spec(self, fullname: str, path=None, target=None) -> ModuleSpec | None:
        package = self.modules.pop(fullname.partition(".")[0], None)
        if package is None:
            return None
        self.install(package)
        importlib.invalidate_caches()
        return PathFinder.find_spec(fullname, path, target)


def install_on_first_import(modules: dict[str, str], install: Callable[[str], None]) -> None:
    """Add an :class:`InstallOnFirstImport` finder right after the path finder, so it is
    asked only about modules nothing installed provides (and before Pyodide's own finder,
    which explains that a package exists but is not installed)."""
    finder = InstallOnFirstImport(modules, install)
    finders = sys.meta_path
    after = next((i + 1 for i, f in enumerate(finders) if f is PathFinder), len(finders))
    finders.insert(after, finder)


def install_wheel(data, sha256: str, site_packages: str) -> list[str]:
    """Check a pure-Python wheel's bytes against the sha256 the lock file gives, unpack it
    into ``site_packages`` and mark it installed by us; returns the files written.

    ``data`` is bytes, or a JavaScript buffer (anything with ``to_bytes()``).
    """
    if hasattr(data, "to_bytes"):
        data = data.to_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise ImportError(
            f"The downloaded package does not match the site's lock file (sha256 {actual}, "
            f"expected {sha256}); it was not installed. Reload the page to try again."
        )
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        names = wheel.namelist()
        wheel.extractall(site_packages)
    for name in names:
        if name.count("/") == 1 and name.endswith(".dist-info/RECORD"):
            (Path(site_packages) / name).with_name("INSTALLER").write_text(INSTALLER + "\n")
    return names
