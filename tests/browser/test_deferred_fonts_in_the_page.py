"""matplotlib's deferred fonts and sample data in the page (sitebuild.matplotlib_data): not
asked for before the main snippet's plot, fetched in the background after; and a figure in
another font before that installs them at once and draws in that font, as it draws once
everything is installed.

The server counts every request and the bytes it sends (Content-Length: the Brotli or gzip
copy when the browser accepts it), as ``build.py serve`` serves the site."""

from __future__ import annotations

import time

from conftest import CHROMIUM, CHROMIUM_ARGS, cell, output_text, run_and_wait, set_code, wait_ready
from test_downloads import PLOT_CLOCK, CountingServer
from test_second_visit import FILES, SNAPSHOT, Visit

DATA_WHEEL = "/matplotlib_data-"
# The in-page pixels of a cell's figure: drawn on a canvas, SHA-256 of the RGBA bytes.
PIXELS = """async (img) => {
    await img.decode();
    const canvas = Object.assign(document.createElement("canvas"),
        { width: img.naturalWidth, height: img.naturalHeight });
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const digest = await crypto.subtle.digest("SHA-256", data);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}"""
SERIF = """import matplotlib.pyplot as plt
from matplotlib import font_manager
with plt.rc_context({"font.family": FAMILY, "mathtext.fontset": "stix"}):
    plt.plot([0, 1, 2], [1, 3, 2])
    plt.title(r"Serif and STIX: $\\hat{y} = w x + b$")
    plt.show()
print(font_manager.findfont(font_manager.FontProperties(family=[FAMILY])))
"""


class ByteCountingServer(CountingServer):
    """CountingServer that also keeps the bytes of each response: (clock ms, path, bytes)."""

    def __init__(self, site) -> None:
        super().__init__(site, None)
        self.sent: list[tuple[float, str, int]] = []
        counting = self

        class Handler(self.server.RequestHandlerClass):
            def send_header(self, keyword: str, value: str) -> None:
                if keyword.lower() == "content-length":
                    with counting.lock:
                        counting.sent.append((time.time() * 1000, self.path, int(value)))
                super().send_header(keyword, value)

        self.server.RequestHandlerClass = Handler

    def bytes_until(self, until_ms: float) -> int:
        with self.lock:
            return sum(size for at, _, size in self.sent if at <= until_ms)

    def asked_for(self, part: str) -> list[float]:
        with self.lock:
            return [at for at, path in self.requests if part in path]


def visit(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(PLOT_CLOCK)
    page.goto(server.url)
    return context, page


def wait_for_request(server: ByteCountingServer, part: str, seconds: float) -> list[float]:
    deadline = time.monotonic() + seconds
    while not server.asked_for(part) and time.monotonic() < deadline:
        time.sleep(0.2)
    return server.asked_for(part)


def test_the_main_plot_arrives_before_the_deferred_fonts_are_asked_for(browser, site) -> None:
    server = ByteCountingServer(site)
    context, page = visit(browser, server)
    try:
        main = cell(page)
        main.locator("button.run").click()  # at once: Python is still loading
        main.locator(".cell-output img").wait_for(timeout=180_000)
        plot_at = page.evaluate("window.plotAt")
        assert main.locator(".cell-status").inner_text().startswith("Done in")
        # After ready the worker fetches them in the background (first of the prefetch).
        later = wait_for_request(server, DATA_WHEEL, 60)
    finally:
        context.close()
        server.close()
    assert later, "the deferred fonts were never fetched"
    assert min(later) > plot_at, "the deferred fonts were asked for before the first plot"
    matplotlib = [at for at, path in server.requests if "/matplotlib-3" in path]
    assert len(matplotlib) == 1 and matplotlib[0] < plot_at
    print(f"\nbytes nav → main plot: {server.bytes_until(plot_at) / 1e6:.2f} MB")


def test_a_serif_figure_before_the_background_install_installs_them_and_draws_in_serif(
    browser, site
) -> None:
    server = ByteCountingServer(site)
    context, page = visit(browser, server)
    try:
        main = cell(page)
        set_code(page, SERIF.replace("FAMILY", '"serif"'))
        main.locator("button.run").click()  # queued: it runs before the background install
        image = main.locator(".cell-output img")
        image.wait_for(timeout=180_000)
        first = image.evaluate(PIXELS)
        printed = main.locator(".cell-output").inner_text()
        plot_at = page.evaluate("window.plotAt")
        wait_ready(page)
        # Drawn again, and in DejaVu Sans, once the page is idle.
        time.sleep(3)
        drawn = {}
        for family in ("serif", "sans-serif"):
            set_code(page, SERIF.replace("FAMILY", f'"{family}"'))
            assert run_and_wait(page).startswith("Done in"), output_text(page)
            drawn[family] = image.evaluate(PIXELS)
    finally:
        context.close()
        server.close()
    assert "DejaVuSerif.ttf" in printed
    asked = server.asked_for(DATA_WHEEL)
    assert len(asked) == 1 and asked[0] < plot_at  # installed at once, by the figure
    assert first == drawn["serif"]  # as drawn once everything is installed
    assert first != drawn["sans-serif"]  # and not in DejaVu Sans


def test_a_visit_restored_from_the_kept_files_fetches_them_again_and_draws_the_same(
    browser, server, tmp_path
) -> None:
    """The kept installed files (installed-files.js) are matplotlib's as shipped, without the
    deferred fonts: a restored visit, started from the interpreter snapshot too, fetches
    them again in the background and draws the main plot and a serif figure as before."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=str(CHROMIUM), headless=True,
        args=CHROMIUM_ARGS, bypass_csp=True,
    )  # fmt: skip
    drawn = []
    try:
        for number in (1, 2):
            visit = Visit(context, server)
            assert visit.started() == {"snapshot": number == 2, "installedFiles": number == 2}
            main = cell(visit.page)
            image = main.locator(".cell-output img")
            assert run_and_wait(visit.page).startswith("Done in"), visit.output()
            pixels = {"main": image.evaluate(PIXELS)}
            set_code(visit.page, SERIF.replace("FAMILY", '"serif"'))
            assert run_and_wait(visit.page).startswith("Done in"), visit.output()
            pixels["serif"] = image.evaluate(PIXELS)
            assert "DejaVuSerif.ttf" in visit.output()
            assert any(name.startswith("matplotlib_data-") for name in visit.wheels)
            drawn.append(pixels)
            if number == 1:
                visit.wait_until_kept(FILES)
                visit.wait_until_kept(SNAPSHOT)
                visit.page.evaluate("localStorage.clear()")  # the edit: main is main again
            visit.page.close()
    finally:
        context.close()
    assert drawn[0] == drawn[1]
