"""Checked exercises: the words a check is written in, and the one verdict it gives.

An exercise's check (``web/lessons/exercises/ID.md``, section ``## Check``) is Python that
runs after the learner's code, on the learner's namespace, and ends in exactly one verdict,
sent to the page as an event (never as printed text, so printing "Correct!" passes nothing)::

    {"type": "verdict", "exercise": ID, "status": "passed" | "not-yet",
     "message": "...", "mistake": "mistake-id" | None, "details": ["...", ...]}

The vocabulary is gradethis's, small on purpose: the first grade signalled ends the check,
and a check that reaches its end has passed.  The check sees these names:

- ``np``: its own NumPy, whatever the learner did to theirs (``np = None``, ``del np``);
- ``learner``: the learner's run (:class:`Learner`): ``learner.value("w")``,
  ``learner.function("r_squared")`` (call it again on other data),
  ``learner.rerun(x=..., y=...)`` (their whole code again, with the data swapped),
  ``learner.uses("linalg.inv")``;
- ``close(yours, answer, "the slope")``: equal within a relative tolerance, said in words
  ("your slope is 2.47391, the answer 2.47390: within 1e-06 relative, correct");
- ``same_on_other_data(yours, answer, "R²")``: the same, on data swapped in by ``rerun``:
  a miss there means numbers typed in from the lesson's output (mistake ``hard-coded``);
- ``fail(message, mistake)``, ``fail_if(condition, mistake, message)``,
  ``fail_if_close(yours, wrong, mistake, message)``: a known wrong answer, named;
- ``note_if(condition, mistake, message)``: accepted, and the verdict says why it is unusual;
- ``is_close(yours, answer, rtol=1e-6)``: the same comparison as a question, no verdict;
- ``known_error(pattern, mistake, message)``: an error the learner's code raised (in their
  run, or when the check called them) whose ``"Type: message"`` matches ``pattern``;
- ``fresh_data(n, scale, seed)``: random ``x, y`` around a random line, of another size
  and scale than the lesson's.

Everything the learner's code prints or plots while the check calls it is discarded.
Stop and the run's time limit apply to the check as to the run (KeyboardInterrupt passes).
"""

from __future__ import annotations

import ast
import builtins
import math
import re

import numpy

from lab_runner.learner_code import Learner, fresh_data, quiet

VERDICT = "verdict"
HARD_CODED = "hard-coded"
PASSED_MESSAGE = "Correct: every comparison is within its tolerance."
TYPED_IN = (
    "Your code has numbers typed in, copied from the lesson's output: they cannot follow "
    "other data. Compute them from the data instead."
)


class _Grade(BaseException):
    """Raised to end a check with a verdict (BaseException: a check's ``except`` can't eat it)."""

    def __init__(self, status: str, message: str, mistake: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.mistake = status, message, mistake


def _number_pair(yours: float, answer: float) -> tuple[str, str]:
    """Both numbers to 6 significant digits, or as many more (up to 12) as show how they
    differ: "2.47391" and "2.47390", "0.93731278" and "0.93731279"."""
    for digits in range(6, 13):
        a, b = f"{yours:.{digits}g}", f"{answer:.{digits}g}"
        if a != b:
            return a, b
    return f"{yours:.6g}", f"{answer:.6g}"


def _as_array(value: object, name: str) -> numpy.ndarray:
    try:
        array = numpy.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise _Grade("not-yet", f"Your {name} is {value!r}, which is not a number.") from None
    return array


def _shape_mistake(yours: numpy.ndarray, answer: numpy.ndarray, name: str) -> _Grade:
    """The hint for an array of the wrong shape: the three shape mix-ups of NumPy."""
    said = f"Your {name} has shape {yours.shape}, the answer {answer.shape}."
    n = answer.shape[0] if answer.ndim == 1 else None
    if n is not None and yours.shape == (n, n):
        return _Grade(
            "not-yet",
            f"{said} An (n,) array minus an (n, 1) array broadcasts to an (n, n) table: "
            "every value against every other. Keep both flat: use y.ravel() or X @ w with "
            "w of shape (p,).",
            "shape-n-by-n",
        )
    if n is not None and yours.shape == (n, 1):
        return _Grade(
            "not-yet",
            f"{said} It is a column (n, 1) where a flat (n,) array is expected: "
            "use .ravel(), or make w a flat array.",
            "shape-column",
        )
    return _Grade("not-yet", said, "shape")


class Check:
    """One run of one exercise's check: its details, notes and known errors."""

    def __init__(self, exercise: str, source: str = "") -> None:
        self.exercise, self.source = exercise, source
        self.details: list[str] = []
        self.notes: list[tuple[str, str]] = []
        self.known_errors: list[tuple[str, str, str]] = []
        self.learner_error: BaseException | None = None

    # ------------------------------------------------------------------ grades

    def fail(self, message: str, mistake: str | None = None) -> None:
        """Not yet: ``message`` says what is wrong; ``mistake`` names it (for tests, stats)."""
        raise _Grade("not-yet", message, mistake)

    def fail_if(self, condition: object, mistake: str, message: str) -> None:
        if condition:
            self.fail(message, mistake)

    def fail_if_close(
        self, yours: object, wrong: object, mistake: str, message: str, rtol: float = 1e-6
    ) -> None:
        """Not yet if ``yours`` equals ``wrong``, what the mistake ``mistake`` computes."""
        if self._is_close(yours, wrong, rtol):
            self.fail(message, mistake)

    def note_if(self, condition: object, mistake: str, message: str) -> None:
        """Accepted, with a note: the verdict passes and says ``message``."""
        if condition:
            self.notes.append((mistake, message))

    def passed(self, message: str = PASSED_MESSAGE) -> None:
        raise _Grade("passed", message)

    # ------------------------------------------------------------------ comparing

    def is_close(self, yours: object, answer: object, rtol: float = 1e-6) -> bool:
        """Same shape, and equal within ``rtol`` relative (no verdict: a question)."""
        return self._is_close(yours, answer, rtol)

    @staticmethod
    def _is_close(yours: object, answer: object, rtol: float) -> bool:
        try:
            a, b = numpy.asarray(yours, dtype=float), numpy.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return False
        if a.shape != b.shape:
            return False
        scale = max(float(numpy.max(numpy.abs(b), initial=0.0)), 1e-12)
        return bool(numpy.all(numpy.abs(a - b) <= rtol * numpy.maximum(numpy.abs(b), scale)))

    def close(
        self,
        yours: object,
        answer: object,
        name: str,
        rtol: float = 1e-6,
        *,
        mistake: str | None = None,
        hint: str = "",
    ) -> None:
        """``yours`` equals ``answer`` within ``rtol`` relative, else not yet (with ``hint``).

        Relative to the answer's size (for an array: each entry against the largest one,
        so entries near zero are not held to an impossible standard).
        """
        if yours is Ellipsis:
            self.fail(f"Your {name} is still ... : replace the blank with your code.", "blank")
        if yours is None:
            self.fail(
                f"Your {name} is None: a function gives None when it ends without "
                "return (or the blank is still ...).",
                mistake or "returns-none",
            )
        a, b = _as_array(yours, name), _as_array(answer, name)
        if a.shape != b.shape:
            raise _shape_mistake(a, b, name)
        if not numpy.all(numpy.isfinite(a)):
            self.fail(f"Your {name} contains {'nan' if numpy.isnan(a).any() else 'inf'}.", mistake)
        if self._is_close(a, b, rtol):
            self.details.append(self._agree_sentence(a, b, name, rtol))
            return
        sentence = self._differ_sentence(a, b, name, rtol)
        if self._typed_in(a):
            self.fail(f"{sentence} {TYPED_IN}", HARD_CODED)
        self.fail(f"{sentence} {hint}".strip(), mistake)

    def _decimals(self) -> set[float]:
        """The decimal numbers written in the learner's code (as sizes: -2.47 is -(2.47))."""
        try:
            tree = ast.parse(self.source)
        except SyntaxError:
            return set()
        return {
            node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, float)
        }  # fmt: skip

    def _long_numbers(self) -> set[float]:
        """The decimals of 4 or more digits in the learner's code (2.4739, 0.937312783):
        answers copied from an output, as set-up numbers are short (2.5, 0.1)."""
        return {v for v in self._decimals() if len(repr(v).replace(".", "").strip("0")) >= 4}

    def _typed_in(self, values: numpy.ndarray) -> bool:
        """Is one of ``values`` exactly a decimal number written in the learner's code?"""
        typed = self._decimals()
        return any(abs(float(v)) in typed for v in values.ravel()[:1000])

    @staticmethod
    def _agree_sentence(a: numpy.ndarray, b: numpy.ndarray, name: str, rtol: float) -> str:
        if a.ndim == 0:
            mine, theirs = _number_pair(float(a), float(b))
            return f"your {name} is {mine}, the answer {theirs}: within {rtol:g} relative, correct"
        return f"your {name} ({a.size} values) matches the answer within {rtol:g} relative"

    @staticmethod
    def _differ_sentence(a: numpy.ndarray, b: numpy.ndarray, name: str, rtol: float) -> str:
        if a.ndim == 0:
            mine, theirs = _number_pair(float(a), float(b))
            off = abs(float(a) - float(b)) / max(abs(float(b)), 1e-300)
            return (
                f"Your {name} is {mine}, the answer {theirs}: {off:.2g} relative apart, "
                f"more than the {rtol:g} allowed."
            )
        index = int(numpy.argmax(numpy.abs(a - b)))
        mine, theirs = _number_pair(float(a.flat[index]), float(b.flat[index]))
        where = numpy.unravel_index(index, a.shape)
        where_text = where[0] if len(where) == 1 else tuple(int(i) for i in where)
        return (
            f"Your {name} differs from the answer: at index {where_text} it is {mine}, "
            f"the answer {theirs} (more than {rtol:g} relative)."
        )

    def same_on_other_data(
        self, yours: object, answer: object, name: str, rtol: float = 1e-6
    ) -> None:
        """``close``, on data the check made up (passed to a function of the learner's, or
        swapped in by ``learner.rerun``): right on the lesson's data but wrong here means
        numbers typed in from the output (``hard-coded``), or the lesson's data used where
        the function's own arguments should be (``ignores-data``)."""
        if self._is_close(yours, answer, rtol):
            self.details.append(f"your {name} is right on other data too")
            return
        shown = _as_array(yours, name)
        said = f"{float(shown):.6g}" if shown.ndim == 0 else f"{shown.size} numbers"
        sentence = (
            f"Your {name} is right on the lesson's data, but on other data (the check made "
            f"up new points) it is {said}, not that data's answer."
        )
        if self._typed_in(shown) or self._long_numbers():
            self.fail(f"{sentence} {TYPED_IN}", HARD_CODED)
        self.fail(
            f"{sentence} Does your code use the lesson's x and y instead of the data it is given?",
            "ignores-data",
        )

    # ------------------------------------------------------------------ errors

    def known_error(self, pattern: str, mistake: str, message: str) -> None:
        """When an error of the learner's matches ``pattern`` (a regular expression searched
        in ``"Type: message"``), say ``message``: now, if their run raised it, and later,
        if it is raised when the check calls their code."""
        self.known_errors.append((pattern, mistake, message))
        if self.learner_error is not None:
            self._raise_if_known(self.learner_error)

    def _raise_if_known(self, error: BaseException) -> None:
        said = f"{type(error).__name__}: {error}"
        for pattern, mistake, message in self.known_errors:
            if re.search(pattern, said):
                first_line = said.splitlines()[0].rstrip(" :.")
                raise _Grade("not-yet", f"{first_line}. {message}", mistake)

    def run_failed(self) -> None:
        """Not yet: the learner's run raised an error the check does not know."""
        error = self.learner_error
        self.fail(
            f"Your code stopped with {type(error).__name__} (the traceback above shows the "
            "line) before the check could read your answer: fix that, then run again."
        )

    def learner_raised(self, error: BaseException, doing: str) -> None:
        """Not yet: the learner's code raised ``error`` while ``doing`` something."""
        self._raise_if_known(error)
        if isinstance(error, SystemExit):
            self.fail(f"Your code called sys.exit() {doing}: remove that call, and run again.")
        said = f"{type(error).__name__}: {error}".splitlines()[0]
        self.fail(f"Your code raised {said} {doing}.")


def not_yet_stopped(exercise: str) -> dict:
    """The verdict of a run stopped (Stop, or the time limit) before its check ended."""
    return verdict(exercise, "not-yet", "The run was stopped before the check finished.")


def verdict(
    exercise: str,
    status: str,
    message: str,
    mistake: str | None = None,
    details: list[str] | None = None,
) -> dict:
    return {
        "type": VERDICT,
        "exercise": exercise,
        "status": status,
        "message": message,
        "mistake": mistake,
        "details": list(details or []),
    }


def run_check(
    check: dict,
    namespace: dict,
    source: str,
    filename: str,
    *,
    status: str = "ok",
    error: BaseException | None = None,
) -> dict:
    """Run ``check["source"]`` (exercise ``check["exercise"]``) on the learner's namespace
    after their run ended with ``status`` (and ``error``); return the one verdict."""
    exercise = str(check.get("exercise", ""))
    if status == "stopped":
        return not_yet_stopped(exercise)
    state = Check(exercise, source)
    state.learner_error = error
    learner = Learner(namespace, source, filename, state)
    words: dict[str, object] = {
        "__name__": "__check__",
        "__builtins__": builtins,
        "np": numpy,
        "math": math,
        "learner": learner,
        "fresh_data": fresh_data,
        "HARD_CODED": HARD_CODED,
    }
    for name in ("close", "same_on_other_data", "fail", "fail_if", "fail_if_close",
                 "note_if", "known_error", "passed"):  # fmt: skip
        words[name] = getattr(state, name)
    words["is_close"] = state.is_close
    try:
        with quiet():
            exec(compile(check["source"], f"<check of {exercise}>", "exec"), words)
            if error is not None:  # a check that never read the learner's answer
                state.run_failed()
    except _Grade as grade:
        if grade.status == "not-yet":
            return verdict(exercise, "not-yet", grade.message, grade.mistake, state.details)
        return _passed(exercise, grade.message, state)
    except (Exception, SystemExit) as failure:
        said = f"{type(failure).__name__}: {failure}".splitlines()[0]
        return verdict(
            exercise, "not-yet", f"The check could not use your answer ({said}).", None,
            state.details,
        )  # fmt: skip
    return _passed(exercise, PASSED_MESSAGE, state)


def _passed(exercise: str, message: str, state: Check) -> dict:
    if state.notes:
        mistake, note = state.notes[0]
        return verdict(exercise, "passed", f"{message} {note}", mistake, state.details)
    return verdict(exercise, "passed", message, None, state.details)
