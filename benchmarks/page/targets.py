"""The pages the benchmark drives: the lesson page and the naive baseline, and the scripts
it installs in them (``instrument.js``, ``learner.js``, ``printed.js`` beside this file)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .site_build import PYODIDE_DIR

HERE = Path(__file__).resolve().parent
SNIPPET = "main"
MARKER = "`"  # typed into the editor; never in Python 3 code, a plain key on a US keyboard


@dataclass(frozen=True)
class Target:
    """One page under test, and where its editor, Run button, status and output are."""

    name: str
    path: str
    editor: str
    run: str
    status: str
    output: str
    run_status: str
    code_js: str  # an expression: the editor's whole text
    done_js: str  # an expression: the run has finished
    ok_js: str  # an expression: the run finished without error
    # An expression (a Promise): what the page keeps for a second visit is kept.
    kept_js: str = "true"
    started_js: str = "null"  # an expression: how Python started (the host's .started)


def cell(selector: str) -> str:
    return f'.cell[data-cell-id="{SNIPPET}"] {selector}'


PAGE = Target(
    name="page",
    path="",
    # The code box the learner types in: the textarea the page arrives with, until
    # CodeMirror's editor (.cm-content) takes its text over.
    editor=cell(":is(.cm-content, textarea.cell-code)"),
    run=cell("button.run"),
    status="#python-status",
    output=cell(".cell-output"),
    run_status=cell(".cell-status"),
    code_js=f"labCells.find(c => c.cellId === {SNIPPET!r}).code",
    done_js=(
        f"(c => c.querySelector('.cell-status').textContent !== '' && "
        f"!c.classList.contains('is-running'))"
        f"(document.querySelector('.cell[data-cell-id=\"{SNIPPET}\"]'))"
    ),
    ok_js=f"document.querySelector({cell('.cell-status')!r}).textContent.startsWith('Done')",
    kept_js=(
        "Promise.all(['python-installed-files', 'python-snapshot']"
        ".map(name => caches.open(name).then(cache => cache.keys())))"
        ".then(kept => kept.every(keys => keys.length > 0))"
    ),
    started_js="labCells[0].host.started",
)
# Pyodide as published, for the baseline (see published.stock_pyodide); under the
# versioned folder, so it is cached like the site's own.
STOCK = f"{PYODIDE_DIR}/stock"
BASELINE = Target(
    name="baseline",
    path=f"baseline/index.html?index={STOCK}/&lock={STOCK}/pyodide-lock.json&snippet={SNIPPET}",
    editor="#code",
    run="#run",
    status="#status",
    output="#output",
    run_status="#run-status",
    code_js="document.querySelector('#code').value",
    done_js="['done', 'error'].includes(document.querySelector('#run').dataset.state)",
    ok_js="document.querySelector('#run').dataset.state === 'done'",
)


def script(name: str) -> str:
    """A script of this folder, as text."""
    return (HERE / name).read_text()


def instrument_script(target: Target) -> str:
    """instrument.js with the target's selectors."""
    selectors = {
        "editor": target.editor,
        "run": target.run,
        "status": target.status,
        "output": target.output,
        "runStatus": target.run_status,
        "marker": MARKER,
    }
    return script("instrument.js").replace("__SELECTORS__", json.dumps(selectors))


def learner_script(target: Target) -> str:
    """learner.js with the target's code box."""
    return script("learner.js").replace("__EDITOR__", json.dumps(target.editor))
