"""How fast is the lesson page?  Load and run times in Chromium, next to a naive baseline.

    python -m benchmarks.page              # 5 runs, serving variants, boot profile
    python -m benchmarks.page --runs 9
    python -m benchmarks.page --quick      # 1 run, no variants, no profile
    python -m benchmarks.page --markdown   # the saved results as the README's tables
    python -m benchmarks.page --report     # the saved results' full report again

It builds the site into a temporary folder, serves it on a free localhost port with
``build.make_handler`` (cross-origin isolated, gzip copies on), and drives Debian's
Chromium with Playwright.  Each run measures, in fresh browser profiles:

- **editor interactive**: navigation → a character typed into the main cell's editor is
  in the page, for a learner who clicks the code box in the first frame that draws it and
  types at once: a script in the page (``LEARNER``) focuses the box in that frame, as the
  click would, while Playwright presses keys (backquotes) one after another from the moment
  the page commits, each waiting only for the page to take it; the first that lands in
  the box is the figure.  With how long the page's main thread was busy until then (CDP
  Performance metrics: less sensitive than wall time to other processes on a loaded
  machine).  Also, in a visit of its own, the way this benchmark measured it until
  27 Nov 2026 (``editor_interactive_playwright_s``): Playwright waits for the box to be
  visible, focuses it, then types, three round trips one after another, each waiting for
  the page's main thread; on a blank page with one textarea that alone takes about
  0.25 s against 0.16 s, and under load the gap grows;
- **Python ready**, cold (a new profile: empty HTTP cache) and warm (a second visit in
  the same profile).  The baseline's "ready" is its bare interpreter, without packages.
  A first visit stays ``READ_SECONDS`` after its runs, as a learner reads on, and then
  until what the page keeps for the next visit is kept (Cache Storage; ``kept_s``), so
  the warm visit is a second visit to a page that was used, not one closed at once;
- **Ctrl+Enter → first output line** and **Ctrl+Enter → plot decoded** (``img.decode()``)
  for the main snippet: the first run pressed the moment Python is ready (it includes
  loading what the snippet imports), a second run, and the first run of a warm visit
  whose learner read for ``READ_SECONDS`` before pressing;
- **navigation → plot** when Run is pressed at once, cold and warm;
- **bytes**: every byte the server sends (headers included), before ready and in all.
  The server counts them, so requests from the page, its Web Worker and any service
  worker are all included (Resource Timing in the page misses the worker's fetches);
- which packages were fetched before ready (nothing of scipy/scikit-learn should be).

Times are taken inside the page with ``performance.now()`` (milliseconds since navigation
started), by a script installed before the page's own (``INSTRUMENT``): it watches the
status line, the editor and the output, and timestamps keydown/click with the event's
own ``timeStamp``.

The same run measures the naive baseline (``benchmarks/baseline/``: Pyodide on the main
thread, packages loaded on Run) on the same snippet, interleaved with the page, so both
see the same machine load.  Also (skip with ``--no-variants`` / ``--no-profile``): the
page served without gzip and without cross-origin isolation, and a step-by-step profile
of the worker's boot (``benchmarks/profile/``), cold and warm, once without the
font-cache repair and once with site-packages byte-compiled beforehand.

It prints each figure beside the baseline's with the ratio, checks the issue's targets
(✓/✗, and by how much), and saves everything to ``benchmarks/results/latest.json``.
It measures; it asserts nothing about times.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
CHROMIUM = Path("/usr/bin/chromium")
# The same flags as tests/browser/conftest.py.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 240_000
READ_SECONDS = 15  # how long the learner reads before a run, in the "after reading" figure
# A first visit lasts longer than its runs: the learner reads on.  The page keeps what
# makes the next visit faster once it is idle (web/js/worker/installed-files.js and
# interpreter-snapshot.js); each first visit stays READ_SECONDS after its runs, then up
# to KEEP_WAIT_S more until that is kept (the time is recorded as kept_s).
KEEP_WAIT_S = 90
SNIPPET = "main"
MARKER = "`"  # typed into the editor; never in Python 3 code, a plain key on a US keyboard
# Packages that must not be fetched before ready (the lesson needs them only on Run).
LATE_PACKAGES = ("scipy", "scikit_learn", "openblas", "joblib", "threadpoolctl")

# Targets of issue 6.
EDITOR_TARGET_S = 0.5
PLOT_TARGET_S = 0.3
NAV_TO_PLOT_TARGET_RATIO = 0.6
WARM_TARGET_RATIO = 0.6


# --------------------------------------------------------------------------- what we drive


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
# Pyodide as published, for the baseline (see stock_pyodide); under the versioned folder,
# so it is cached like the site's own.
STOCK = f"{build.PYODIDE_DIR}/stock"
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

# Installed in every page before its own scripts.  Keeps window.__bench up to date:
# marks (ms since navigation start): editorVisible, editorTyped, ready, error;
# timeline: [ms, phase, text] of the status line; run: the current run's pressed (the
# keydown/click event's timeStamp), firstOutput, plotDecoded, and timeline of its status.
INSTRUMENT = """
(() => {
  if (window.top !== window) return;
  const S = __SELECTORS__;
  const bench = (window.__bench = { marks: {}, timeline: [] });
  const seen = new WeakSet();
  const now = () => performance.now();
  const markOnce = (name) => { if (bench.marks[name] === undefined) bench.marks[name] = now(); };
  bench.arm = () => {
    const output = document.querySelector(S.output);
    for (const img of output ? output.querySelectorAll("img") : []) seen.add(img);
    bench.run = { timeline: [], sawEmpty: false };
  };
  bench.run = { timeline: [], sawEmpty: false };
  let lastStatus = "";
  let lastRunStatus = "";
  function check() {
    const editor = document.querySelector(S.editor);
    if (editor) {
      markOnce("editorVisible");
      if (bench.marks.editorTyped === undefined) {
        const text = editor.value ?? editor.textContent;
        if (text.includes(S.marker)) markOnce("editorTyped");
      }
    }
    const status = document.querySelector(S.status);
    if (status) {
      const key = `${status.dataset.phase}|${status.textContent}`;
      if (key !== lastStatus) {
        lastStatus = key;
        bench.timeline.push([now(), status.dataset.phase, status.textContent]);
      }
      if (status.dataset.phase === "ready") markOnce("ready");
      if (status.dataset.phase === "error") markOnce("error");
    }
    const run = bench.run;
    if (run.pressed === undefined) return;
    const runStatus = document.querySelector(S.runStatus);
    if (runStatus && runStatus.textContent !== lastRunStatus) {
      lastRunStatus = runStatus.textContent;
      run.timeline.push([now(), lastRunStatus]);
    }
    const output = document.querySelector(S.output);
    if (!output) return;
    if (output.textContent.trim() === "") run.sawEmpty = true;
    else if (run.sawEmpty && run.firstOutput === undefined) run.firstOutput = now();
    for (const img of output.querySelectorAll("img")) {
      if (seen.has(img)) continue;
      seen.add(img);
      img.decode().then(
        () => { if (run.plotDecoded === undefined) run.plotDecoded = now(); },
        () => { run.plotError = true; },
      );
    }
  }
  function press(event) {
    const run = bench.run;
    if (run.pressed !== undefined) return;
    run.pressed = event.timeStamp;
    lastRunStatus = "";
    setTimeout(check, 0);
  }
  addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) press(event);
  }, true);
  addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest(S.run)) press(event);
  }, true);
  addEventListener("input", check, true);
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();
"""


# The learner's click, for the editor-interactive figure: the code box gets the focus in
# the first animation frame in which it is laid out in the viewport (that frame draws it).
LEARNER = """
(() => {
  if (window.top !== window) return;
  const selector = __EDITOR__;
  const focusWhenDrawn = () => {
    const box = document.querySelector(selector);
    const rect = box && box.getBoundingClientRect();
    if (!rect || rect.height === 0 || rect.top >= innerHeight) {
      requestAnimationFrame(focusWhenDrawn);
      return;
    }
    box.focus();
    if (window.__bench && window.__bench.marks.editorFocused === undefined) {
      window.__bench.marks.editorFocused = performance.now();
    }
  };
  requestAnimationFrame(focusWhenDrawn);
})();
"""


def instrument_script(target: Target) -> str:
    selectors = {
        "editor": target.editor,
        "run": target.run,
        "status": target.status,
        "output": target.output,
        "runStatus": target.run_status,
        "marker": MARKER,
    }
    return INSTRUMENT.replace("__SELECTORS__", json.dumps(selectors))


# --------------------------------------------------------------------------- serving


@dataclass
class Request:
    path: str
    start: float  # time.time() when the request line arrived
    end: float
    wire_bytes: int  # everything sent: status line, headers, body
    body_bytes: int  # Content-Length (the gzip copy's length when one was sent)
    file_bytes: int  # the size of the file asked for, uncompressed
    status: int
    encoding: str | None


class _CountingWriter:
    """Wraps a handler's wfile and counts what goes through it."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.count = 0

    def write(self, data) -> int:
        self.count += len(data)
        return self.inner.write(data)

    def __getattr__(self, name):
        return getattr(self.inner, name)


class _QuietServer(ThreadingHTTPServer):
    """Says nothing when the browser hangs up mid-response (a tab closed while loading)."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Server:
    """``build.make_handler`` on a free localhost port, logging every request it answers."""

    def __init__(self, directory: Path, *, isolated: bool = True, precompressed: bool = True):
        self.requests: list[Request] = []
        lock = threading.Lock()
        requests = self.requests
        base = build.make_handler(directory, isolated=isolated, precompressed=precompressed)

        class Counting(base):
            def setup(self) -> None:
                super().setup()
                self.wfile = _CountingWriter(self.wfile)

            def parse_request(self) -> bool:
                self.started = time.time()
                self.wfile.count = 0
                self.body_bytes = 0
                self.encoding = None
                self.status = 0
                return super().parse_request()

            def send_response(self, code, message=None) -> None:
                self.status = int(code)
                super().send_response(code, message)

            def send_header(self, keyword: str, value: str) -> None:
                if keyword.lower() == "content-length":
                    self.body_bytes = int(value)
                elif keyword.lower() == "content-encoding":
                    self.encoding = value
                super().send_header(keyword, value)

            def handle_one_request(self) -> None:
                super().handle_one_request()
                if getattr(self, "started", None) is None:
                    return
                file = Path(self.translate_path(self.path))
                if file.is_dir():
                    file = file / "index.html"
                request = Request(
                    path=self.path,
                    start=self.started,
                    end=time.time(),
                    wire_bytes=self.wfile.count,
                    body_bytes=self.body_bytes,
                    file_bytes=file.stat().st_size if file.is_file() else 0,
                    status=self.status,
                    encoding=self.encoding,
                )
                self.started = None
                with lock:
                    requests.append(request)

        self.httpd = _QuietServer(("127.0.0.1", 0), Counting)
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def mark(self) -> int:
        return len(self.requests)

    def since(self, mark: int) -> list[Request]:
        return list(self.requests[mark:])

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def python_file(path: str) -> bool:
    return path.startswith((f"/{build.PYODIDE_DIR}/", "/py/"))


def package_name(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1].split("?")[0]
    if name.endswith((".whl", ".zip")) and name != "python_stdlib.zip":
        return name
    return None


# --------------------------------------------------------------------------- one visit


@dataclass
class Visit:
    """What one page load measured (times in seconds from navigation start)."""

    target: str
    marks: dict = field(default_factory=dict)
    timeline: list = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    time_origin: float = 0.0  # epoch seconds
    console: list[str] = field(default_factory=list)
    navigation: dict | None = None  # Navigation Timing, ms
    main_thread: dict | None = None  # the page's main-thread task durations (s) once typed in
    started: dict | None = None  # how Python started (the page's labPython.started)
    kept_s: float | None = None  # when what the next visit uses was kept (stay=True)

    def mark(self, name: str) -> float | None:
        value = self.marks.get(name)
        return None if value is None else value / 1000

    def before(self, seconds: float) -> list[Request]:
        """The requests that reached the server before `seconds` after navigation."""
        limit = self.time_origin + seconds
        return [r for r in self.requests if r.start <= limit]


def wait_js(page, expression: str, what: str) -> None:
    try:
        page.wait_for_function(expression, timeout=TIMEOUT_MS)
    except Exception as error:
        status = page.evaluate("JSON.stringify(window.__bench && window.__bench.timeline)")
        raise RuntimeError(f"{what}: {error}; status line: {status}") from error


def visit(
    context,
    server: Server,
    target: Target,
    *,
    type_in_editor: bool = False,
    runs_after_ready: int = 0,
    run_at_once: bool = False,
    read_seconds: float = 0,
    stay: bool = False,
    code: str = "",
) -> Visit:
    """Load the target in a new tab of `context` and measure what was asked."""
    page = context.new_page()
    if type_in_editor:
        page.add_init_script(LEARNER.replace("__EDITOR__", json.dumps(target.editor)))
    result = Visit(target.name)
    page.on("console", lambda message: result.console.append(message.text))
    page.on("worker", lambda worker: worker.on("console", lambda m: result.console.append(m.text)))
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    mark = server.mark()
    try:
        page.goto(server.url + target.path, wait_until="commit", timeout=TIMEOUT_MS)
        result.time_origin = page.evaluate("performance.timeOrigin") / 1000
        if type_in_editor:
            # Keys from the start, three at a time between looks; those pressed before the
            # box has the focus (LEARNER) go nowhere.  The figure is the first that lands.
            deadline = time.monotonic() + TIMEOUT_MS / 1000
            while not page.evaluate("window.__bench.marks.editorTyped !== undefined"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{target.name}: no key landed in the editor")
                page.keyboard.type(MARKER * 3)
            metrics = cdp.send("Performance.getMetrics")["metrics"]
            result.main_thread = {m["name"]: m["value"] for m in metrics if "Duration" in m["name"]}
            typed = page.evaluate(
                f"(e => (e.value ?? e.textContent).split({MARKER!r}).length - 1)"
                f"(document.querySelector({target.editor!r}))"
            )
            for _ in range(typed):
                page.keyboard.press("Backspace")
            wait_js(
                page,
                f"(() => {{ try {{ return !({target.code_js}).includes({MARKER!r}); }} "
                f"catch {{ return false; }} }})()",
                "undoing the typing",
            )
        if run_at_once:
            page.click(target.run, timeout=TIMEOUT_MS)
            result.runs.append(finish_run(page, target))
        wait_js(
            page,
            "window.__bench.marks.ready !== undefined || window.__bench.marks.error !== undefined",
            "waiting for Python",
        )
        if page.evaluate("window.__bench.marks.error") is not None:
            raise RuntimeError(f"{target.name}: Python failed: {page.inner_text(target.status)}")
        if code and page.evaluate(target.code_js) != code:
            raise RuntimeError(f"{target.name}: the editor does not hold the {SNIPPET} snippet")
        if read_seconds:
            page.wait_for_timeout(read_seconds * 1000)  # the learner reads first
        for _ in range(runs_after_ready):
            page.click(target.editor)
            page.evaluate("window.__bench.arm()")
            page.keyboard.press("Control+Enter")
            result.runs.append(finish_run(page, target))
        result.started = page.evaluate(target.started_js)
        if stay:
            page.wait_for_timeout(READ_SECONDS * 1000)  # the learner reads on
            deadline = time.monotonic() + KEEP_WAIT_S
            while not page.evaluate(target.kept_js):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{target.name}: nothing kept for the next visit")
                page.wait_for_timeout(250)
            result.kept_s = page.evaluate("performance.now()") / 1000
        bench = page.evaluate("window.__bench")
        result.marks, result.timeline = bench["marks"], bench["timeline"]
        result.navigation = page.evaluate(
            "(e => e && {responseEnd: e.responseEnd, domInteractive: e.domInteractive, "
            "domContentLoaded: e.domContentLoadedEventEnd, load: e.loadEventEnd})"
            "(performance.getEntriesByType('navigation')[0])"
        )
    finally:
        page.close()
    result.requests = server.since(mark)
    return result


def finish_run(page, target: Target) -> dict:
    """Wait for the run in progress to draw its plot and finish; its times, in seconds."""
    wait_js(
        page,
        f"window.__bench.run.plotDecoded !== undefined || window.__bench.run.plotError "
        f"|| ({target.done_js} && window.__bench.run.pressed !== undefined "
        f"&& !document.querySelector({target.output!r} + ' img'))",
        "waiting for the plot",
    )
    wait_js(page, target.done_js, "waiting for the run to finish")
    run = page.evaluate("window.__bench.run")
    if not page.evaluate(target.ok_js) or run.get("plotDecoded") is None:
        output = page.inner_text(target.output)[-2000:]
        raise RuntimeError(
            f"{target.name}: the {SNIPPET} snippet failed or drew no plot:\n{output}"
        )
    times = {
        key: value / 1000
        for key, value in run.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
    times["timeline"] = [[t / 1000, text] for t, text in run["timeline"]]
    return times


@contextmanager
def browser_profile(playwright, target: Target) -> Iterator[object]:
    """A Chromium with a fresh, empty profile (a new user data folder)."""
    folder = tempfile.mkdtemp(prefix="lab-bench-profile-")
    # bypass_csp: wait_for_function evaluates its predicate with eval, which the site's
    # Content-Security-Policy forbids (as in tests/browser/conftest.py).
    context = playwright.chromium.launch_persistent_context(
        folder,
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=VIEWPORT,
        bypass_csp=True,
    )
    context.add_init_script(instrument_script(target))
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- one run


def wire(requests: list[Request]) -> int:
    return sum(r.wire_bytes for r in requests)


def cold_and_warm(playwright, server: Server, target: Target, code: str, samples: dict) -> None:
    """Session A: a cold visit (type; ready; two runs at once), then a warm one (ready; the
    learner reads for READ_SECONDS; a run)."""
    with browser_profile(playwright, target) as context:
        cold = visit(
            context, server, target, type_in_editor=True, runs_after_ready=2, stay=True, code=code
        )
        time.sleep(1)  # let the browser finish writing its caches, as between real visits
        warm = visit(
            context, server, target, runs_after_ready=1, read_seconds=READ_SECONDS, code=code
        )
    ready_cold, ready_warm = cold.mark("ready"), warm.mark("ready")
    add = samples.setdefault
    add("editor_visible_s", []).append(cold.mark("editorVisible"))
    add("editor_interactive_s", []).append(cold.mark("editorTyped"))
    add("editor_focused_s", []).append(cold.mark("editorFocused"))
    add("main_thread_busy_at_editor_s", []).append(cold.main_thread["TaskDuration"])
    add("main_thread_script_at_editor_s", []).append(cold.main_thread["ScriptDuration"])
    add("ready_cold_s", []).append(ready_cold)
    add("ready_warm_s", []).append(ready_warm)
    add("started_warm", []).append(warm.started)
    if cold.kept_s is not None and target.kept_js != "true":
        add("kept_after_ready_s", []).append(cold.kept_s - ready_cold)
    add("warm_over_cold", []).append(ready_warm / ready_cold)
    first, repeat = cold.runs
    add("first_output_s", []).append(first["firstOutput"] - first["pressed"])
    add("plot_s", []).append(first["plotDecoded"] - first["pressed"])
    add("plot_repeat_s", []).append(repeat["plotDecoded"] - repeat["pressed"])
    add("plot_after_reading_s", []).append(warm.runs[0]["plotDecoded"] - warm.runs[0]["pressed"])
    add("navigation_timing", []).append(cold.navigation)
    before = cold.before(ready_cold)
    add("bytes_before_ready", []).append(wire(before))
    add("python_file_bytes_before_ready", []).append(
        sum(r.file_bytes for r in before if python_file(r.path) and r.status == 200)
    )
    add("bytes_warm_before_ready", []).append(wire(warm.before(ready_warm)))
    add("packages_before_ready", []).append(
        sorted({name for r in before if (name := package_name(r.path))})
    )
    add("font_cache_messages", []).append(
        [line for line in cold.console + warm.console if "font cache" in line.lower()]
    )
    add("status_timeline", []).append(cold.timeline)
    add("first_run_timeline", []).append(
        [[t - first["pressed"], text] for t, text in first["timeline"]]
    )


def typing_the_playwright_way(playwright, server: Server, target: Target, samples: dict) -> None:
    """Session C: editor interactive as measured until 27 Nov 2026 (see the module's notes)."""
    with browser_profile(playwright, target) as context:
        page = context.new_page()
        page.goto(server.url + target.path, wait_until="commit", timeout=TIMEOUT_MS)
        # Not page.click, whose actionability checks (retries backing off up to 0.5 s,
        # two frames of stability, scrolling) are the harness's time, not the page's.
        editor = page.locator(target.editor).first
        editor.wait_for(state="visible", timeout=TIMEOUT_MS)
        editor.focus(timeout=TIMEOUT_MS)
        page.keyboard.type(MARKER)
        wait_js(page, "window.__bench.marks.editorTyped !== undefined", "typing")
        typed_ms = page.evaluate("window.__bench.marks.editorTyped")
    samples.setdefault("editor_interactive_playwright_s", []).append(typed_ms / 1000)


def run_at_once(playwright, server: Server, target: Target, code: str, samples: dict) -> None:
    """Session B: navigation → plot with Run pressed at once, cold then warm."""
    with browser_profile(playwright, target) as context:
        cold = visit(context, server, target, run_at_once=True, stay=True, code=code)
        time.sleep(1)
        warm = visit(context, server, target, run_at_once=True, code=code)
    add = samples.setdefault
    add("nav_to_plot_cold_s", []).append(cold.runs[0]["plotDecoded"])
    add("nav_to_plot_warm_s", []).append(warm.runs[0]["plotDecoded"])
    add("started_warm_nav", []).append(warm.started)
    add("run_pressed_at_s", []).append(cold.runs[0]["pressed"])
    add("bytes_main_snippet", []).append(wire(cold.requests))
    add("bytes_main_snippet_warm", []).append(wire(warm.requests))


def serving_variant(playwright, server: Server, samples: dict) -> None:
    """The page on another server: ready cold and warm, and the bytes before ready."""
    with browser_profile(playwright, PAGE) as context:
        cold = visit(context, server, PAGE, stay=True)
        time.sleep(1)
        warm = visit(context, server, PAGE)
    add = samples.setdefault
    add("ready_cold_s", []).append(cold.mark("ready"))
    add("ready_warm_s", []).append(warm.mark("ready"))
    add("warm_over_cold", []).append(warm.mark("ready") / cold.mark("ready"))
    add("bytes_before_ready", []).append(wire(cold.before(cold.mark("ready"))))


def boot_profile(
    playwright,
    server: Server,
    preload: list[str],
    *,
    repair: bool = True,
    precompile: bool = False,
    warm: bool = True,
) -> dict:
    """benchmarks/profile/: the worker's boot, one timed step at a time.

    A cold visit in a new browser profile, then (``warm``) a second visit in the same one.
    ``repair=False`` skips lab_runner's font-cache repair, to see what it saves;
    ``precompile=True`` byte-compiles site-packages first, to see what .pyc files would save.
    """
    query = (
        f"index={build.PYODIDE_DIR}/&snippet={SNIPPET}&preload={json.dumps(preload)}"
        f"&repair={int(repair)}&precompile={int(precompile)}"
    )
    results = {}
    with browser_profile(playwright, PAGE) as context:
        for visit_name in ("cold", "warm") if warm else ("cold",):
            page = context.new_page()
            page.goto(f"{server.url}profile/index.html?{query}")
            page.wait_for_function("window.profileResult !== undefined", timeout=TIMEOUT_MS)
            result = page.evaluate("window.profileResult")
            page.close()
            if "error" in result:
                raise RuntimeError(f"the boot profile failed: {result['error']}")
            results[visit_name] = result
            time.sleep(1)
    return results


# --------------------------------------------------------------------------- figures


def summary(values: list[float]) -> dict:
    values = sorted(v for v in values if v is not None)
    if not values:
        return {}
    result = {
        "median": statistics.median(values),
        "min": values[0],
        "max": values[-1],
        "n": len(values),
    }
    if len(values) >= 4:
        q1, _, q3 = statistics.quantiles(values, n=4)
        result["iqr"] = [q1, q3]
    return result


def fmt_seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def fmt_bytes(value: float) -> str:
    return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.1f} kB"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    fmt: Callable[[float], str]


ROWS = [
    Row(
        "editor_interactive_s",
        "editor interactive (nav → typed character in the editor)",
        fmt_seconds,
    ),
    Row("editor_visible_s", "editor visible (nav → editor in the page)", fmt_seconds),
    Row("editor_focused_s", "… first drawn, and clicked (focused)", fmt_seconds),
    Row(
        "main_thread_busy_at_editor_s",
        "main thread busy until typed (all tasks; CPU-load independent-ish)",
        fmt_seconds,
    ),
    Row("main_thread_script_at_editor_s", "… of which running scripts", fmt_seconds),
    Row(
        "editor_interactive_playwright_s",
        "editor interactive, measured as until 27 Nov (wait visible, focus, type)",
        fmt_seconds,
    ),
    Row("ready_cold_s", "Python ready, cold visit (baseline: interpreter only)", fmt_seconds),
    Row("ready_warm_s", "Python ready, warm visit (baseline: interpreter only)", fmt_seconds),
    Row("warm_over_cold", "warm ready ÷ cold ready", fmt_ratio),
    Row("first_output_s", "Ctrl+Enter → first output line (first run after ready)", fmt_seconds),
    Row("plot_s", "Ctrl+Enter → plot decoded (first run after ready)", fmt_seconds),
    Row("plot_repeat_s", "Ctrl+Enter → plot decoded (second run)", fmt_seconds),
    Row(
        "plot_after_reading_s",
        f"Ctrl+Enter → plot decoded (first run, {READ_SECONDS} s after ready, warm visit)",
        fmt_seconds,
    ),
    Row("nav_to_plot_cold_s", "nav → plot, Run pressed at once, cold visit", fmt_seconds),
    Row("nav_to_plot_warm_s", "nav → plot, Run pressed at once, warm visit", fmt_seconds),
    Row("bytes_before_ready", "bytes before ready (on the wire, cold)", fmt_bytes),
    Row(
        "python_file_bytes_before_ready",
        "Python files fetched before ready (their size)",
        fmt_bytes,
    ),
    Row("bytes_main_snippet", "bytes in all, nav → main snippet's plot (cold)", fmt_bytes),
    Row("bytes_main_snippet_warm", "bytes in all, nav → main snippet's plot (warm)", fmt_bytes),
]


def cell_text(stats: dict, fmt: Callable[[float], str]) -> str:
    if not stats:
        return "–"
    text = fmt(stats["median"])
    if stats["n"] > 1 and stats["min"] != stats["max"]:
        low, high = fmt(stats["min"]), fmt(stats["max"])
        if low.split()[1:] == high.split()[1:]:  # the same unit: say it once
            low = low.split()[0]
        text += f" ({low}–{high})"
    return text


def table(results: dict, markdown: bool = False) -> str:
    page, base = results["summary"]["page"], results["summary"]["baseline"]
    header = ["", "lesson page", "naive baseline", "page ÷ baseline"]
    lines = []
    for row in ROWS:
        p, b = page.get(row.key, {}), base.get(row.key, {})
        ratio = f"{p['median'] / b['median']:.2f}" if p and b and b["median"] else "–"
        lines.append([row.label, cell_text(p, row.fmt), cell_text(b, row.fmt), ratio])
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(4)]

    def aligned(line: list[str]) -> str:
        cells = zip(line, widths, strict=True)
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells))

    return "\n".join([aligned(header), *(aligned(line) for line in lines)])


def variants_table(results: dict, markdown: bool = False) -> str:
    variants = results.get("variants_summary") or {}
    if not variants:
        return ""
    rows = []
    for name, stats in {"page (gzip, isolated)": results["summary"]["page"], **variants}.items():
        rows.append(
            [
                name,
                cell_text(stats.get("ready_cold_s", {}), fmt_seconds),
                cell_text(stats.get("ready_warm_s", {}), fmt_seconds),
                cell_text(stats.get("bytes_before_ready", {}), fmt_bytes),
            ]
        )
    header = ["serving", "ready, cold", "ready, warm", "bytes before ready"]
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
        return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])
    return "\n".join(
        "  ".join(c.ljust(28 if i == 0 else 22) for i, c in enumerate(r)) for r in [header, *rows]
    )


def stock_pyodide(site: Path) -> None:
    """Pyodide as published, for the baseline: the npm package's core files and lock, and
    Pyodide's own wheels of the numpy + matplotlib closure (sha256-verified by the build),
    in ``STOCK``, with gzip copies like the site's.  The site's own Pyodide folder holds
    our bytecode-compiled wheels and standard library, which a naive page would not have.
    """
    folder = site / STOCK
    folder.mkdir(parents=True, exist_ok=True)
    core = build.fetch_pyodide_core()
    for name, data in core.items():
        (folder / name).write_bytes(data)
    official = json.loads(core["pyodide-lock.json"])["packages"]
    closure = build.dependency_closure(official, ["numpy", "matplotlib"])
    wheels = build.verified_package_files(official, closure, build.fetch_wheel_archive())
    for file_name, data in wheels.items():
        (folder / file_name).write_bytes(data)
    build.precompress(folder)


def budget(site: Path, lock_packages: dict) -> dict:
    """Uncompressed bytes of the Pyodide core, the numpy + matplotlib closure and lab-runner.

    ``bytes`` counts the files the page's lock has the worker fetch before ready, as
    shipped (wheels given bytecode by the build; the page's lock leaves fontTools and pytz
    for after ready, see build.AFTER_READY); ``official_bytes`` the issue's budget: the
    closure by Pyodide's own lock, its wheels as published.
    """
    core = ["pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]
    closure = build.dependency_closure(lock_packages, ["numpy", "matplotlib", "lab-runner"])
    files = [site / build.PYODIDE_DIR / name for name in core]
    files.append(site / "py" / "pyodide-lock.json")
    published = build.fetch_pyodide_core()
    official = sum(len(published[name]) for name in core) + files[-1].stat().st_size
    official_lock = json.loads(published["pyodide-lock.json"])["packages"]
    official_closure = build.dependency_closure(official_lock, ["numpy", "matplotlib"])
    with zipfile.ZipFile(build.fetch_wheel_archive()) as archive:
        for name in closure:
            file_name = lock_packages[name]["file_name"]
            if file_name.startswith("wheels/"):  # ours, on both sides
                files.append(site / "py" / file_name)
                official += files[-1].stat().st_size
            else:
                files.append(build.shipped_path(site, file_name))
        for name in official_closure:
            member = build.WHEELS_PREFIX + official_lock[name]["file_name"]
            official += archive.getinfo(member).file_size
    return {
        "bytes": sum(f.stat().st_size for f in files),
        "official_bytes": official,
        "files": [f.name for f in files],
        "packages": closure,
        "official_packages": official_closure,
    }


def missed_by(measured: float, limit: float, unit: str = "s") -> str:
    """'met', or how far over the limit a measurement is."""
    if measured <= limit:
        return "met"
    over = f"{measured - limit:.2f} s" if unit == "s" else f"{measured - limit:.2f}"
    return f"missed by {over} ({measured / limit:.1f}× the limit)"


def check_targets(results: dict) -> list[dict]:
    """The issue's targets, each with the measured median and whether it is met."""
    page, base = results["summary"]["page"], results["summary"]["baseline"]
    samples = results["samples"]["page"]
    checks = []

    def add(name: str, goal: str, measured: str, ok: bool, detail: str) -> None:
        checks.append(
            {"target": name, "goal": goal, "measured": measured, "ok": ok, "detail": detail}
        )

    editor = page["editor_interactive_s"]
    add(
        "editor interactive",
        f"≤ {EDITOR_TARGET_S} s after navigation",
        f"{fmt_seconds(editor['median'])} (slowest {fmt_seconds(editor['max'])})",
        editor["median"] <= EDITOR_TARGET_S,
        missed_by(editor["median"], EDITOR_TARGET_S),
    )
    for key, what in (
        ("plot_s", "first run after ready"),
        ("plot_repeat_s", "second run"),
        ("plot_after_reading_s", f"first run {READ_SECONDS} s after ready (warm visit)"),
    ):
        plot = page[key]["median"]
        add(
            f"Ctrl+Enter → plot, {what}",
            f"≤ {PLOT_TARGET_S} s once ready",
            fmt_seconds(plot),
            plot <= PLOT_TARGET_S,
            missed_by(plot, PLOT_TARGET_S),
        )
    for key, what in (("nav_to_plot_cold_s", "cold"), ("nav_to_plot_warm_s", "warm")):
        mine, theirs = page[key]["median"], base[key]["median"]
        ratio = mine / theirs
        add(
            f"nav → plot with an immediate Run, {what}",
            f"≤ {NAV_TO_PLOT_TARGET_RATIO} × baseline",
            f"{fmt_seconds(mine)} vs {fmt_seconds(theirs)}: {ratio:.2f} ×",
            ratio <= NAV_TO_PLOT_TARGET_RATIO,
            missed_by(ratio, NAV_TO_PLOT_TARGET_RATIO, unit=""),
        )
    ratio = page["warm_over_cold"]["median"]
    warm, cold = page["ready_warm_s"]["median"], page["ready_cold_s"]["median"]
    add(
        "warm visit → ready",
        f"≤ {WARM_TARGET_RATIO} × cold",
        f"{fmt_seconds(warm)} vs {fmt_seconds(cold)}: {ratio:.2f} × (median of per-run ratios)",
        ratio <= WARM_TARGET_RATIO,
        missed_by(ratio, WARM_TARGET_RATIO, unit=""),
    )
    late = sorted(
        {
            name
            for found in samples["packages_before_ready"]
            for name in found
            if name.lower().startswith(LATE_PACKAGES)
        }
    )
    add(
        "nothing of scipy or scikit-learn before ready",
        "none fetched",
        ", ".join(late) or "none, in every run",
        not late,
        "met" if not late else f"fetched before ready: {', '.join(late)}",
    )
    allowed = results["budget"].get("official_bytes", results["budget"]["bytes"])
    loaded = page["python_file_bytes_before_ready"]["max"]
    wire_median = page["bytes_before_ready"]["median"]
    add(
        "bytes before ready ≤ core + numpy/matplotlib closure",
        f"≤ {fmt_bytes(allowed)} (uncompressed, Pyodide's own wheels as published)",
        f"{fmt_bytes(loaded)} of Python files (uncompressed, our bytecode wheels); "
        f"{fmt_bytes(wire_median)} on the wire, page included",
        loaded <= allowed,
        "met" if loaded <= allowed else f"{fmt_bytes(loaded - allowed)} over",
    )
    messages = [m for found in samples["font_cache_messages"] for m in found]
    add(
        "matplotlib's font cache not rebuilt",
        "no “building the font cache” message from the worker",
        f"{len(messages)} messages",
        not messages,
        "met" if not messages else messages[0],
    )
    return checks


def profile_summary(profiles: list[dict]) -> list[dict]:
    steps: dict[str, list[float]] = {}
    for profile in profiles:
        for step in profile["steps"]:
            steps.setdefault(step["step"], []).append(step["ms"] / 1000)
    return [{"step": name, **summary(values)} for name, values in steps.items()]


def phase_summary(timelines: list[list]) -> list[dict]:
    """The page's status-line phases: seconds from navigation to each text, median."""
    when: dict[str, list[float]] = {}
    for timeline in timelines:
        for t, _phase, text in timeline:
            label = re.sub(r"\(\d+\.\d s\)", "(…)", text)
            when.setdefault(label, []).append(t / 1000)
    return [{"status": label, **summary(values)} for label, values in when.items()]


def run_timeline_summary(timelines: list[list]) -> list[dict]:
    """A cell's status during its first run: seconds from Ctrl+Enter to each text, median."""
    when: dict[str, list[float]] = {}
    for timeline in timelines:
        seen: dict[str, int] = {}
        for t, text in timeline:
            label = re.sub(r"\d+\.\d+ s", "… s", text)
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                label += f" (again, {seen[label]})"
            when.setdefault(label, []).append(t)
    return [{"status": label, **summary(values)} for label, values in when.items()]


# --------------------------------------------------------------------------- machine


def chromium_version() -> str:
    """Chromium's full version (the user agent string only says 156.0.0.0)."""
    import subprocess

    try:
        output = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True)
    except OSError as error:
        return f"unknown ({error})"
    found = re.search(r"Chromium ([\d.]+)", output.stdout)
    return found.group(1) if found else output.stdout.strip()


def source_state() -> dict:
    """The commit measured, and the site's source files that differed from it."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    changed = git("status", "--porcelain", "--", "build.py", "web", "py_src")
    return {
        "commit": git("rev-parse", "HEAD").strip(),
        "uncommitted_site_changes": [line[3:] for line in changed.splitlines()],
    }


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "playwright": metadata.version("playwright"),
        "load_average_at_start": os.getloadavg(),
    }


# --------------------------------------------------------------------------- main


def progress(samples: dict) -> str:
    page, base = samples["page"], samples["baseline"]
    return (
        f"  page: ready {page['ready_cold_s'][-1]:.2f} s cold, {page['ready_warm_s'][-1]:.2f} s "
        f"warm; plot {page['plot_s'][-1]:.2f} s after ready; nav → plot "
        f"{page['nav_to_plot_cold_s'][-1]:.2f} s (baseline {base['nav_to_plot_cold_s'][-1]:.2f} s)"
    )


def measure(runs: int, variants: bool, profile: bool) -> dict:
    from playwright.sync_api import sync_playwright

    started = time.time()
    info = machine()
    source = source_state()
    work = Path(tempfile.mkdtemp(prefix="lab-bench-site-"))
    site = work / "dist"
    config = build.build(site)
    for folder in ("baseline", "profile"):
        shutil.copytree(ROOT / "benchmarks" / folder, site / folder)
    stock_pyodide(site)
    snippets = json.loads((site / "snippets.json").read_text())
    code = snippets["snippets"][SNIPPET]["code"]
    if MARKER in code:
        raise SystemExit(f"the {SNIPPET} snippet contains {MARKER!r}, the character typed")
    lock = json.loads((site / "py" / "pyodide-lock.json").read_text())
    allowed = budget(site, lock["packages"])
    servers = {"main": Server(site)}
    if variants:
        servers["page, gzip off"] = Server(site, precompressed=False)
        servers["page, not isolated"] = Server(site, isolated=False)

    samples: dict = {"page": {}, "baseline": {}}
    variant_samples: dict = {name: {} for name in servers if name != "main"}
    profiles: list[dict] = []
    unrepaired: dict | None = None
    try:
        with sync_playwright() as playwright:
            for index in range(runs):
                order = (PAGE, BASELINE) if index % 2 == 0 else (BASELINE, PAGE)
                print(f"run {index + 1}/{runs} …", flush=True)
                for target in order:
                    cold_and_warm(playwright, servers["main"], target, code, samples[target.name])
                for target in order:
                    run_at_once(playwright, servers["main"], target, code, samples[target.name])
                for target in order:
                    typing_the_playwright_way(
                        playwright, servers["main"], target, samples[target.name]
                    )
                for name, server in servers.items():
                    if name != "main":
                        serving_variant(playwright, server, variant_samples[name])
                if profile:
                    preload = config["preloadPackages"]
                    profiles.append(boot_profile(playwright, servers["main"], preload))
                    profiles[-1]["precompiled"] = boot_profile(
                        playwright, servers["main"], preload, precompile=True, warm=False
                    )["cold"]
                    if index == 0:
                        unrepaired = boot_profile(
                            playwright, servers["main"], preload, repair=False, warm=False
                        )["cold"]
                print(progress(samples), flush=True)
    finally:
        for server in servers.values():
            server.close()
        shutil.rmtree(work, ignore_errors=True)

    numeric = {row.key for row in ROWS} | {"run_pressed_at_s", "kept_after_ready_s"}
    info["chromium"] = chromium_version()
    info["load_average_at_end"] = os.getloadavg()
    results = {
        "benchmark": "python -m benchmarks.page",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started),
        "runs": runs,
        "machine": info,
        "source": source,
        "build": {key: config[key] for key in ("buildId", "pyodideVersion", "preloadPackages")},
        "snippet": SNIPPET,
        "budget": allowed,
        "samples": samples,
        "summary": {
            name: {key: summary(values) for key, values in target.items() if key in numeric}
            for name, target in samples.items()
        },
        "variants_summary": {
            name: {key: summary(values) for key, values in values_by_key.items()}
            for name, values_by_key in variant_samples.items()
        },
        "variant_samples": variant_samples,
        "page_phases": phase_summary(samples["page"]["status_timeline"]),
        "baseline_phases": phase_summary(samples["baseline"]["status_timeline"]),
        "page_first_run": run_timeline_summary(samples["page"]["first_run_timeline"]),
        "baseline_first_run": run_timeline_summary(samples["baseline"]["first_run_timeline"]),
        "profile": profiles,
        "profile_summary": {
            visit: profile_summary([p[visit] for p in profiles])
            for visit in ("cold", "warm", "precompiled")
        }
        if profiles
        else {},
        "profile_without_font_cache_repair": unrepaired,
    }
    return results


def report(results: dict) -> str:
    """The comparison table, the serving variants, the targets and the boot profile, as text."""
    info = results["machine"]
    lines = [
        f"{results['runs']} runs, {results['date']}; {info['cpu']}, {info['cores']} cores, "
        f"Chromium {info['chromium']}; load average {info['load_average_at_start'][0]:.1f} "
        f"at the start, {info['load_average_at_end'][0]:.1f} at the end.",
        "median (min–max) over the runs; times from navigation start or from the key press.",
        "",
        table(results),
        "",
    ]
    if results.get("variants_summary"):
        lines += ["Serving variants (the page only):", variants_table(results), ""]
    lines.append("Targets:")
    for check in results["targets"]:
        mark = "✓" if check["ok"] else "✗"
        lines.append(
            f"  {mark} {check['target']} ({check['goal']}): {check['measured']}"
            + ("" if check["ok"] else f" — {check['detail']}")
        )
    lines += ["", "The page's status line (s after navigation, cold visit):"]
    for phase in results["page_phases"]:
        lines.append(f"  {phase['median']:6.2f}  {phase['status']}")
    lines += ["", "The main cell's status in its first run (s after Ctrl+Enter):"]
    for phase in results["page_first_run"]:
        lines.append(f"  {phase['median']:6.2f}  {phase['status']}")
    if results["profile_summary"]:
        lines += ["", profile_report(results)]
    return "\n".join(lines)


def profile_report(results: dict) -> str:
    """The worker boot profile: steps cold and warm, compile and figure costs, font cache."""
    cold, warm = results["profile_summary"]["cold"], results["profile_summary"]["warm"]
    warm_by_step = {step["step"]: step["median"] for step in warm}
    lines = ["Worker boot, step by step (benchmarks/profile; median s, cold / warm visit):"]
    for step in cold:
        lines.append(
            f"  {step['median']:6.2f} / {warm_by_step.get(step['step'], float('nan')):5.2f}"
            f"  {step['step']}"
        )
    colds = [p["cold"] for p in results["profile"]]
    first = colds[0]

    def median_of(*keys: str) -> float:
        values = []
        for profile in colds:
            value = profile
            for key in keys:
                value = value[key]
            values.append(value)
        return statistics.median(values)

    lines.append(
        "  compiling the .py sources of the modules imported by ready (median s): "
        f"{median_of('compileBeforeReady', 'seconds', 'stdlib'):.2f} stdlib "
        f"({first['compileBeforeReady']['modules']['stdlib']} modules), "
        f"{median_of('compileBeforeReady', 'seconds', 'site-packages'):.2f} site-packages "
        f"({first['compileBeforeReady']['modules']['site-packages']}); "
        f".pyc modules: {first['compileBeforeReady']['pyc_modules']}"
    )
    lines.append(
        "  … and of everything imported once the main snippet ran: "
        f"{median_of('compileAll', 'seconds', 'stdlib'):.2f} stdlib, "
        f"{median_of('compileAll', 'seconds', 'site-packages'):.2f} site-packages "
        f"({first['compileAll']['modules']['site-packages']} modules)"
    )
    lines.append(
        "  the main snippet's figure to PNG (median s): "
        f"{median_of('figureCost', 'tight'):.3f} with bbox_inches='tight', "
        f"{median_of('figureCost', 'plain'):.3f} without"
    )
    lines.append(
        f"  font cache rewritten by the repair: {first['fontCacheRewritten']}; "
        f"“building the font cache” messages: {len(first['fontCacheMessages'])}"
    )
    unrepaired = results.get("profile_without_font_cache_repair")
    if unrepaired:
        steps = {step["step"]: step["ms"] / 1000 for step in unrepaired["steps"]}
        lines.append(
            "  without the repair: import matplotlib.pyplot "
            f"{steps.get('import matplotlib.pyplot', float('nan')):.2f} s; messages: "
            f"{unrepaired['fontCacheMessages']}"
        )
    precompiled = results["profile_summary"].get("precompiled")
    if precompiled:
        with_pyc = {step["step"]: step["median"] for step in precompiled}
        plain = {step["step"]: step["median"] for step in cold}
        lines.append(
            "  with site-packages byte-compiled beforehand (as .pyc wheels would be), "
            "cold, median s:"
        )
        for name in (
            "import lab_runner",
            "import matplotlib.pyplot",
            "first figure rendered to PNG (what warm_up draws)",
            "import sklearn.linear_model",
            f"first run of {SNIPPET} (run_cell, figure included)",
        ):
            before, after = plain.get(name, float("nan")), with_pyc.get(name, float("nan"))
            lines.append(f"    {name}: {before:.2f} s → {after:.2f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (default 5)")
    parser.add_argument(
        "--quick", action="store_true", help="one run, no serving variants, no boot profile"
    )
    parser.add_argument(
        "--no-variants",
        action="store_true",
        help="skip the page served without gzip / without isolation",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the worker boot profile")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})")
    parser.add_argument(
        "--report", action="store_true", help="print the saved results' report again and exit"
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the saved results as Markdown tables and exit",
    )
    args = parser.parse_args(argv)
    if args.report:
        print(report(json.loads(args.out.read_text())))
        return
    if args.markdown:
        results = json.loads(args.out.read_text())
        print(table(results, markdown=True))
        if results.get("variants_summary"):
            print()
            print(variants_table(results, markdown=True))
        return
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    runs = 1 if args.quick else args.runs
    results = measure(
        runs,
        variants=not (args.quick or args.no_variants),
        profile=not (args.quick or args.no_profile),
    )
    results["targets"] = check_targets(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print()
    print(report(results))
    print(f"\nsaved {args.out}")


if __name__ == "__main__":
    main()
