"""lab_runner.matplotlib_data's parts: placeholders, and what a failed install says (the
figures themselves: tests/lessons/test_deferred_fonts.py)."""

from __future__ import annotations

import pytest
from lab_runner.matplotlib_data import DataOnFirstUse, is_placeholder, leave_placeholders


def test_placeholders_are_left_only_where_a_font_is_missing(tmp_path) -> None:
    real = tmp_path / "ttf" / "DejaVuSans.ttf"
    real.parent.mkdir()
    real.write_bytes(b"a font")
    missing = str(tmp_path / "ttf" / "DejaVuSerif.ttf")
    assert leave_placeholders([str(real), missing]) == [missing]
    assert is_placeholder(missing) and not is_placeholder(real)
    assert not is_placeholder(tmp_path / "nowhere.ttf")
    assert real.read_bytes() == b"a font"


def test_the_install_runs_only_when_a_needed_file_is_a_placeholder_or_missing(tmp_path) -> None:
    calls = []
    data = DataOnFirstUse(lambda: calls.append("install"))
    real = tmp_path / "DejaVuSans.ttf"
    real.write_bytes(b"a font")
    data.ensure([str(real), (str(real), 0)])
    assert calls == []
    (placeholder,) = leave_placeholders([str(tmp_path / "STIXGeneral.ttf")])
    data.ensure([(placeholder, 0)])
    assert calls == ["install"] and data.installs == 1


def test_a_failed_download_says_what_happened_and_what_to_do() -> None:
    def install() -> None:
        raise OSError("Could not download matplotlib_data-3.8.4-py3-none-any.whl (HTTP 404).")

    with pytest.raises(
        RuntimeError, match=r"could not be downloaded .*HTTP 404.*run the cell again"
    ):
        DataOnFirstUse(install).install()


def test_a_wrapped_function_installs_first_when_its_file_is_missing(tmp_path) -> None:
    """As cbook.get_sample_data is wrapped: the file asked for is looked at before reading."""
    from types import SimpleNamespace

    from lab_runner.matplotlib_data import wrap

    calls = []
    data = DataOnFirstUse(lambda: calls.append("install"))
    module = SimpleNamespace(read=lambda name, asfileobj=True: f"read {name}")
    wrap(module, "read", lambda name, *_: data.ensure([tmp_path / name]))
    (tmp_path / "Stocks.csv").write_text("date,price")
    assert module.read("Stocks.csv", asfileobj=False) == "read Stocks.csv"
    assert calls == []
    assert module.read("grace_hopper.jpg") == "read grace_hopper.jpg"
    assert calls == ["install"]
