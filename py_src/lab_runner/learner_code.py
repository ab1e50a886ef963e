"""The learner's code, run again by an exercise's check (see :mod:`lab_runner.checking`).

- :class:`Learner`: what the learner's run left (namespace, source), read by the check:
  ``value(name)``, ``function(name)`` (their function, called on any data), ``uses(...)``,
  ``rerun(x=..., y=...)`` (their whole code again, with the check's data in place of theirs);
- :func:`quiet`: while the check calls their code, prints and warnings are discarded and the
  figures it opens are closed;
- :func:`fresh_data`: random points of another size and scale than the lesson's.

A learner's error while the check calls them goes back to the check (``learner_raised``),
which turns it into a not-yet verdict.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy

if TYPE_CHECKING:
    from lab_runner.checking import Check


class _Discard(io.TextIOBase):
    """Where the learner's prints go while the check calls their code."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The learner's code, called by the check: prints and warnings discarded, plt.show()
    a no-op, figures it opens closed afterwards."""
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    before = set(pyplot.get_fignums()) if pyplot else set()
    show = pyplot.show if pyplot else None
    if pyplot:
        pyplot.show = lambda *args, **kwargs: None
    try:
        with (
            contextlib.redirect_stdout(_Discard()),
            contextlib.redirect_stderr(_Discard()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        if pyplot:
            pyplot.show = show
            for number in set(pyplot.get_fignums()) - before:
                pyplot.close(number)


def _copy(value: object) -> object:
    return value.copy() if isinstance(value, numpy.ndarray) else value


def _assigned_names(statement: ast.stmt) -> set[str]:
    """The names a top-level statement binds (``x = ...``, ``x, y = ...``, ``for x in``...)."""
    targets: list[ast.AST] = []
    if isinstance(statement, ast.Assign):
        targets = list(statement.targets)
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign, ast.For)):
        targets = [statement.target]
    elif isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
        return {statement.name}
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    names = set()
    for target in targets:
        names |= {node.id for node in ast.walk(target) if isinstance(node, ast.Name)}
    return names


def _swap_data(source: str, names: set[str]) -> ast.Module:
    """The learner's code with ``name = __lab_data__[name]`` after each top-level statement
    that binds one of ``names`` (and once at the start): their set-up runs, then the check's
    data replaces the lesson's before anything else uses it.  A plain assignment of swapped
    names only (``y = 2.5 * x + noise``) is replaced, not run: it may not fit the new data."""
    tree = ast.parse(source)
    swap = [f"{name} = __lab_data__[{name!r}]" for name in sorted(names)]
    body = list(ast.parse("\n".join(swap)).body)
    for statement in tree.body:
        assigned = _assigned_names(statement)
        if not (isinstance(statement, ast.Assign) and assigned and assigned <= names):
            body.append(statement)  # (a plain ``x = ...`` of swapped names is left out)
        for name in sorted(assigned & names):
            (assign,) = ast.parse(f"{name} = __lab_data__[{name!r}]").body
            body.append(ast.copy_location(assign, statement))
    tree.body = body
    return ast.fix_missing_locations(tree)


class LearnerFunction:
    """A function of the learner's, called by the check: their errors become not-yet."""

    def __init__(self, name: str, function: Callable, check: Check) -> None:
        self.name, self._function, self._check = name, function, check

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = tuple(_copy(a) for a in args)
        try:
            with quiet():
                return self._function(*args, **kwargs)
        except (Exception, SystemExit) as error:
            self._check.learner_raised(error, f"when the check called {self.name}(...)")


class Learner:
    """What the learner's run left: their namespace, source and error (if any)."""

    def __init__(
        self, namespace: dict, source: str, filename: str, check: Check, *, rerun: bool = False
    ) -> None:
        self.namespace, self.source, self.filename = namespace, source, filename
        self._check, self._rerun = check, rerun

    def value(self, name: str) -> Any:
        """The learner's ``name``; not yet if it is missing or still a blank (``...``)."""
        if self._check.learner_error is not None and not self._rerun:
            self._check.run_failed()
        if name not in self.namespace:
            self._check.fail(f"Your code does not define {name} yet.", "missing-name")
        found = self.namespace[name]
        if found is Ellipsis:
            self._check.fail(f"{name} is still ... : replace the blank with your code.", "blank")
        return found

    def function(self, name: str) -> LearnerFunction:
        """The learner's function ``name``, to call on any data."""
        found = self.value(name)
        if not callable(found):
            self._check.fail(f"{name} should be a function (def {name}(...):), not {found!r}.")
        return LearnerFunction(name, found, self._check)

    def uses(self, dotted: str) -> bool:
        """Does the learner's code mention ``dotted`` (e.g. ``"linalg.inv"``), as
        ``np.linalg.inv``, ``numpy.linalg.inv`` or ``from numpy.linalg import inv``?"""
        try:
            tree = ast.parse(self.source)
        except SyntaxError:
            return False
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                if ast.unparse(node).endswith(dotted):
                    return True
            elif isinstance(node, ast.ImportFrom) and node.module:
                if any(f"{node.module}.{alias.name}".endswith(dotted) for alias in node.names):
                    return True
        return False

    def rerun(self, **data: Any) -> Learner:
        """Run the learner's code again, in a fresh namespace, with ``data`` (e.g. ``x=...,
        y=...``) put in place of theirs right after they set it (see :func:`_swap_data`)."""
        tree = _swap_data(self.source, set(data))
        namespace = {
            "__name__": "__main__",
            "__builtins__": builtins,
            "__lab_data__": {name: _copy(value) for name, value in data.items()},
        }
        try:
            with quiet():
                exec(compile(tree, self.filename, "exec"), namespace)
        except SystemExit:
            pass
        except Exception as error:
            self._check.learner_raised(error, "when the check ran it again on other data")
        return Learner(namespace, self.source, self.filename, self._check, rerun=True)


def fresh_data(
    n: int = 37, scale: float = 1000.0, seed: int = 1
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``x, y``: ``n`` points with ``x`` spread over about ``scale`` around ``scale``, on a
    random line with noise: another size and scale than the lesson's 100 points in [0, 10]."""
    rng = numpy.random.default_rng(seed)
    x = scale * rng.uniform(0.5, 1.5, n)
    slope, intercept = rng.uniform(-3, 3), rng.uniform(-2, 2) * scale
    y = slope * x + intercept + rng.normal(0, 0.1 * scale, n)
    return x, y
