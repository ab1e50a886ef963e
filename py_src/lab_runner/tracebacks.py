"""Tracebacks trimmed to the learner's code.

Learner code runs inside our runner (and, in the browser, inside Pyodide's own frames).
Those frames are noise to a learner, so the traceback starts at the first frame whose
file is one of the learner's cells.  Frames *below* it (NumPy, linreg) are kept: they are
where the error really happened.  A ``SyntaxError`` has no frames worth showing; its
message already names the cell and line.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from types import TracebackType


def first_user_frame(
    tb: TracebackType | None, is_user_file: Callable[[str], bool]
) -> TracebackType | None:
    """Skip traceback entries until one runs code from a learner's file."""
    while tb is not None and not is_user_file(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return tb


def format_user_exception(error: BaseException, is_user_file: Callable[[str], bool]) -> str:
    """The text a learner should see for ``error``: their frames and below, then the error."""
    if isinstance(error, SyntaxError):
        return "".join(traceback.format_exception_only(type(error), error))
    tb = first_user_frame(error.__traceback__, is_user_file)
    lines = traceback.format_exception(type(error), error, tb)
    return "".join(lines)
