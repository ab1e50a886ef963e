"""Tracebacks trimmed to the learner's code, and errors told in the learner's terms.

Learner code runs inside our runner (and, in the browser, inside Pyodide's own frames).
Those frames are noise to a learner, so the traceback starts at the first frame whose
file is one of the learner's cells.  Frames *below* it (NumPy, say) are normally kept:
they are where the error really happened.  Two kinds of error are shown shorter:

- **Friendly errors**: a ``ValueError`` (or ``RuntimeError``) raised on purpose by one of
  our own packages (``linreg``, ``lab_runner``) already says in plain words what is wrong
  with the learner's input, so its internal frames and chained causes are dropped: the
  learner sees their own lines, then the message.
- **Out of memory**: a ``MemoryError`` of any kind (NumPy's is ``_ArrayMemoryError``), and
  the ``ValueError`` NumPy raises on 32-bit WebAssembly for an array too big to address at
  all, are shown as ``MemoryError`` with the reason: Python in the browser has at most
  4 GB.  On a 64-bit desktop, ``np.ones(10**11)`` is a MemoryError too.

A ``SyntaxError`` has no frames worth showing; its message already names the cell and line.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from types import TracebackType

# Packages whose deliberate errors are written for learners.
FRIENDLY_PACKAGES = ("linreg", "lab_runner")
FRIENDLY_TYPES = (ValueError, RuntimeError)

# What NumPy says on wasm32 when an array's size does not even fit in an address.
NUMPY_TOO_BIG = (
    "Maximum allowed dimension exceeded",
    "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.",
)
MEMORY_HINT = (
    "Python in the browser runs in 32-bit WebAssembly: all its data must fit in at most "
    "4 GB (about 500 million float64 numbers), less when the computer is short of memory. "
    "Try a smaller size."
)


def first_user_frame(
    tb: TracebackType | None, is_user_file: Callable[[str], bool]
) -> TracebackType | None:
    """Skip traceback entries until one runs code from a learner's file."""
    while tb is not None and not is_user_file(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return tb


def raised_in(tb: TracebackType | None) -> str:
    """The module the error was raised in (the innermost frame's ``__name__``)."""
    module = ""
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        tb = tb.tb_next
    return module


def is_friendly(error: BaseException) -> bool:
    """Was this raised on purpose by our packages, with a message meant for the learner?"""
    package = raised_in(error.__traceback__).split(".")[0]
    return package in FRIENDLY_PACKAGES and isinstance(error, FRIENDLY_TYPES)


def memory_error_message(error: BaseException) -> str | None:
    """The message to show if ``error`` means "out of memory", else None."""
    if isinstance(error, MemoryError):
        return str(error) or "out of memory"
    if (
        isinstance(error, ValueError)
        and str(error) in NUMPY_TOO_BIG
        and raised_in(error.__traceback__).startswith("numpy")
    ):
        return f"this array is too big for Python in the browser (NumPy says: {error})"
    return None


def learner_error_name(error: BaseException) -> str:
    """The error's name as the learner reads it: ``MemoryError``, not ``_ArrayMemoryError``."""
    if memory_error_message(error) is not None:
        return "MemoryError"
    return type(error).__name__


def _user_frames_only(
    tb: TracebackType | None, is_user_file: Callable[[str], bool]
) -> traceback.StackSummary:
    """The learner's frames, up to the last one of theirs; library frames below are cut."""
    frames = traceback.extract_tb(tb)
    last = max((i for i, f in enumerate(frames) if is_user_file(f.filename)), default=-1)
    return traceback.StackSummary.from_list(frames[: last + 1])


def format_user_exception(error: BaseException, is_user_file: Callable[[str], bool]) -> str:
    """The text a learner should see for ``error``: their frames (and below), then the error."""
    if isinstance(error, SyntaxError):
        return "".join(traceback.format_exception_only(type(error), error))
    tb = first_user_frame(error.__traceback__, is_user_file)
    memory = memory_error_message(error)
    if memory is None and not is_friendly(error):
        return "".join(traceback.format_exception(type(error), error, tb))
    frames = _user_frames_only(tb, is_user_file)
    head = "Traceback (most recent call last):\n" if frames else ""
    if memory is not None:
        message = f"MemoryError: {memory}\n{MEMORY_HINT}\n"
    else:
        message = f"{type(error).__name__}: {error}\n"
    return head + "".join(frames.format()) + message
