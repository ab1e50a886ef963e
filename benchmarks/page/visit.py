"""One visit: a page loaded in a new tab, and what it measured."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .server import Request, Server
from .targets import MARKER, SNIPPET, Target, learner_script

TIMEOUT_MS = 240_000
READ_SECONDS = 15  # how long the learner reads before a run, in the "after reading" figure
# A first visit lasts longer than its runs: the learner reads on.  The page keeps what
# makes the next visit faster once it is idle (web/js/worker/installed-files.js and
# interpreter-snapshot.js); each first visit stays READ_SECONDS after its runs, then up
# to KEEP_WAIT_S more until that is kept (the time is recorded as kept_s).
KEEP_WAIT_S = 90


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
        page.add_init_script(learner_script(target))
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
