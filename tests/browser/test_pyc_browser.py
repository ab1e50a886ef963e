"""The shipped bytecode in the browser: Python imports it instead of compiling sources.

build.py ships the modules the page imports (matplotlib & co., the standard library's) as
.pyc only, every other module as its published source, and our packages with their .pyc
beside the .py (tests/build/test_pyc.py checks the files).  Here, in the page's own
worker: the .pyc files are what Python loads, nothing the boot imported was compiled from
source, a module the page never imports still imports from its source, nothing is
written, and a traceback through a module shipped without its source still reads well.
"""

from __future__ import annotations

from conftest import output_text, run_and_wait, set_code

PROBE = """\
import importlib.util, json, os, sys
import matplotlib.pyplot as plt
import lab_runner.tracebacks as ours

spec = plt.__spec__
print("pyplot:", type(spec.loader).__name__, os.path.basename(spec.origin),
      "source" if os.path.exists(spec.origin.removesuffix("c")) else "no source")
print("ours:", os.path.basename(ours.__spec__.origin), os.path.exists(ours.__spec__.cached),
      ours.__spec__.cached == importlib.util.cache_from_source(ours.__file__))
print("stdlib:", type(json.__loader__).__name__, json.__spec__.origin.split(".zip")[1])
import imaplib
print("unused:", imaplib.__spec__.origin.split(".zip")[1], imaplib.IMAP4.__name__)
# Modules the boot and a Run import, each of them from its bytecode (none compiled here).
boot = ["numpy._core.numeric", "matplotlib.pyplot", "matplotlib.axes._axes", "PIL.Image",
        "pyparsing.core", "json.decoder", "typing", "ast", "_pyodide._base", "pyodide.code"]
sources = [name for name in boot if not sys.modules[name].__spec__.origin.endswith(".pyc")]
print("boot modules from source:", sources)

# What an import does, minus running the module: get_code compiles the source only when
# there is no valid .pyc.  A new module without one shows that the count works.
with open("/tmp/fresh_module.py", "w") as file:
    file.write("x = 1\\n")
fresh = importlib.util.spec_from_file_location("fresh_module", "/tmp/fresh_module.py")
Loader = type(ours.__spec__.loader)
compiled = []
Loader.source_to_code = lambda self, data, path, **kw: compiled.append(
    os.path.basename(path)) or super(Loader, self).source_to_code(data, path, **kw)
try:
    ours.__spec__.loader.get_code(ours.__name__)
    fresh.loader.get_code("fresh_module")
finally:
    del Loader.source_to_code
print("compiled:", compiled)
print("written:", os.path.exists("/tmp/__pycache__"), sys.dont_write_bytecode)
"""


def test_python_runs_the_shipped_bytecode_and_tracebacks_still_read_well(lesson) -> None:
    set_code(lesson, PROBE)
    assert run_and_wait(lesson).startswith("Done in"), output_text(lesson)
    lines = output_text(lesson).splitlines()
    assert "pyplot: SourcelessFileLoader pyplot.pyc no source" in lines
    assert "ours: tracebacks.py True True" in lines
    assert "stdlib: zipimporter /json/__init__.pyc" in lines
    assert "unused: /imaplib.py IMAP4" in lines  # shipped as published, compiled here
    assert "boot modules from source: []" in lines
    assert "compiled: ['fresh_module.py']" in lines  # ours came from its .pyc
    assert "written: False True" in lines

    # One page load for both (a Python start costs seconds): numpy's frames have no
    # source lines now, but the learner's line, numpy's file and the message remain.
    set_code(lesson, "import numpy as np\n\nnp.linalg.solve(np.ones((2, 3)), np.ones(2))\n")
    assert run_and_wait(lesson) == "Error: LinAlgError"
    text = output_text(lesson)
    assert 'File "main.py", line 3, in <module>' in text
    assert "np.linalg.solve(np.ones((2, 3)), np.ones(2))" in text
    assert "numpy/linalg/_linalg.py" in text and "in solve" in text
    assert text.rstrip().endswith(
        "numpy.linalg.LinAlgError: Last 2 dimensions of the array must be square"
    )
