"""A matplotlib backend for a Web Worker: Agg drawing, figures sent as PNG on ``show()``.

Selected with ``MPLBACKEND=module://lab_runner.mpl_backend``.  Since matplotlib 3.6 a
backend module needs only a ``FigureCanvas`` class and, for pyplot, a ``show`` function.
"""

from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas

from lab_runner.figures import send_open_figures

__all__ = ["FigureCanvas", "show"]


def show(*args: object, **kwargs: object) -> None:
    """``plt.show()``: send every open figure to the page, in order with printed text."""
    send_open_figures()
