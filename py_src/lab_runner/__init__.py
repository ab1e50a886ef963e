"""The Python half of Linear Regression Lab's in-browser runner.

The page's Web Worker hands each run of a learner's snippet to :func:`run_cell`, which

- compiles the code under the cell's own file name, so tracebacks show the learner's
  line numbers (:mod:`lab_runner.tracebacks` trims away every frame that is not theirs);
- captures ``print`` output and writes to stderr in batches, in order
  (:mod:`lab_runner.streams`);
- captures matplotlib figures as PNG images with alt text, both on ``plt.show()`` and for
  figures left open at the end of a run (:mod:`lab_runner.figures`, and the matplotlib
  backend :mod:`lab_runner.mpl_backend`).

- sends rich data for the page to draw (:func:`lab_runner.display`, e.g. an animation).

Everything leaves through one callable, ``emit(event)``, supplied by the caller: one dict
``{"type": name, **fields}`` per event, named and shaped as web/js/protocol.js documents
(``stream``, ``figure``, ``display``, ``input``).  This package never imports ``js``: in
the browser ``emit`` is a JavaScript function, on CPython (the tests) it is any Python
callable, and the same code runs on both.
"""

from lab_runner.animation import animate_descent
from lab_runner.runner import forget_cell, run_cell, warm_up
from lab_runner.streams import Output, display
from lab_runner.tracebacks import format_user_exception

__all__ = [
    "Output",
    "animate_descent",
    "display",
    "forget_cell",
    "format_user_exception",
    "run_cell",
    "warm_up",
]
