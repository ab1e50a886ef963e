"""The sessions of one run: each a fresh browser profile and the visits made in it, their
figures added to ``samples`` (a list per figure)."""

from __future__ import annotations

import time

from .browser import browser_profile
from .server import Server, bytes_sent_again, fetched_again, package_name, python_file, wire
from .targets import MARKER, PAGE, Target
from .visit import READ_SECONDS, TIMEOUT_MS, visit, wait_js


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
    to_plot = cold.before(cold.runs[0]["plotDecoded"])
    add("bytes_to_plot", []).append(wire(to_plot))
    add("bytes_sent_again_to_plot", []).append(bytes_sent_again(to_plot))
    add("fetched_again_to_plot", []).append(fetched_again(to_plot))


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
