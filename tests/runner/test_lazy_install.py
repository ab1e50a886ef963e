"""lab_runner.lazy_install: a package installed the moment it is first imported."""

from __future__ import annotations

import hashlib
import importlib
import io
import sys
import zipfile

import pytest
from lab_runner.lazy_install import INSTALLER, install_on_first_import, install_wheel


def make_wheel(module: str, value: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        wheel.writestr(f"{module}/__init__.py", f"VALUE = {value}\n")
        wheel.writestr(f"{module}-1.0.dist-info/METADATA", f"Name: {module}\nVersion: 1.0\n")
        wheel.writestr(f"{module}-1.0.dist-info/RECORD", "")
    return buffer.getvalue()


@pytest.fixture
def site_packages(tmp_path, monkeypatch):
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    finders = list(sys.meta_path)
    yield folder
    sys.meta_path[:] = finders
    for name in [m for m in sys.modules if m.startswith("lazy_demo")]:
        del sys.modules[name]


def test_the_first_import_installs_the_package_once_then_imports_it(site_packages) -> None:
    wheel = make_wheel("lazy_demo", 42)
    asked: list[str] = []

    def install(package: str) -> None:
        asked.append(package)
        install_wheel(wheel, hashlib.sha256(wheel).hexdigest(), str(site_packages))

    install_on_first_import({"lazy_demo": "lazy-demo"}, install)
    module = importlib.import_module("lazy_demo")
    assert module.VALUE == 42
    assert asked == ["lazy-demo"]
    installer = site_packages / "lazy_demo-1.0.dist-info" / "INSTALLER"
    assert installer.read_text().strip() == INSTALLER
    del sys.modules["lazy_demo"]
    importlib.import_module("lazy_demo")  # found on the path now: not installed again
    assert asked == ["lazy-demo"]


def test_modules_not_listed_are_left_to_python(site_packages) -> None:
    install_on_first_import({"lazy_demo": "lazy-demo"}, lambda package: pytest.fail(package))
    with pytest.raises(ModuleNotFoundError, match="lazy_demo_other"):
        importlib.import_module("lazy_demo_other")
    assert importlib.import_module("json").dumps([1]) == "[1]"  # installed ones: untouched


def test_a_wheel_that_does_not_match_the_lock_is_refused(site_packages) -> None:
    wheel = make_wheel("lazy_demo", 1)
    with pytest.raises(ImportError, match="does not match the site's lock file"):
        install_wheel(wheel, "0" * 64, str(site_packages))
    assert list(site_packages.iterdir()) == []

    def install(package: str) -> None:
        install_wheel(wheel, "0" * 64, str(site_packages))

    install_on_first_import({"lazy_demo": "lazy-demo"}, install)
    with pytest.raises(ImportError, match="Reload the page"):
        importlib.import_module("lazy_demo")
