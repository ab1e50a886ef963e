"""A second visit starts from what the first kept instead of doing the same work again.

After the first visit is ready, the Python worker keeps the files NumPy, matplotlib and
their dependencies installed (web/js/worker/installed-files.js); once it is idle, a
throwaway worker keeps a snapshot of a freshly started interpreter
(web/js/worker/interpreter-snapshot.js).  Both go to Cache Storage.  The next visit
starts Python from the snapshot, puts the files back, fetches none of those wheels, and
everything works as after a full start: the main snippet's numbers and plot, and
scikit-learn installed beside the restored packages later.  A kept entry that does not
restore is dropped, and that part of the start is done afresh (and kept again).
"""

from __future__ import annotations

import re
import time

from conftest import CHROMIUM, CHROMIUM_ARGS, cell, run_and_wait, wait_ready

KEEP_WAIT_S = 90
FILES, SNAPSHOT = "python-installed-files", "python-snapshot"
PRELOADED = ("numpy-", "matplotlib-", "pillow-", "contourpy-", "kiwisolver-", "lab_runner-")


KEPT_SIZE_JS = """async (name) => {
    const cache = await caches.open(name);
    const sizes = [];
    for (const request of await cache.keys()) {
        sizes.push((await (await cache.match(request)).arrayBuffer()).byteLength);
    }
    return sizes;
}"""


class Visit:
    """A tab on the lesson, and the wheels it fetched (from the server or the HTTP cache)."""

    def __init__(self, context, url: str) -> None:
        self.wheels: list[str] = []
        self.page = context.new_page()
        self.page.on("request", self.note_request)
        self.page.goto(url)
        wait_ready(self.page)

    def note_request(self, request) -> None:
        name = request.url.rsplit("/", 1)[-1]
        if name.endswith(".whl"):
            self.wheels.append(name)

    def installed_from_wheels(self) -> bool:
        fetched = {name.split("-")[0] + "-" for name in self.wheels}
        if fetched >= set(PRELOADED):
            return True
        assert not fetched & set(PRELOADED), f"some of the preloaded wheels only: {self.wheels}"
        return False

    def started(self) -> dict:
        """How Python started: {"snapshot": bool, "installedFiles": bool}."""
        return self.page.evaluate("labCells[0].host.started")

    def kept_sizes(self, cache: str = FILES) -> list[int]:
        return self.page.evaluate(KEPT_SIZE_JS, cache)

    def wait_until_kept(self, cache: str = FILES) -> None:
        """Until `cache` holds one entry of more than 10 MB (the files: 35 MB; a snapshot of
        the interpreter's memory: about 20 MB)."""
        deadline = time.monotonic() + KEEP_WAIT_S
        while not (len(sizes := self.kept_sizes(cache)) == 1 and sizes[0] > 10_000_000):
            assert time.monotonic() < deadline, f"nothing kept in {cache}: {sizes}"
            self.page.wait_for_timeout(250)

    def damage(self, cache: str) -> None:
        """Replace what `cache` holds with something else (here: not an entry at all)."""
        self.page.evaluate(
            """async (name) => {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    await cache.put(request, new Response("not what the worker kept"));
                }
            }""",
            cache,
        )
        assert self.kept_sizes(cache) == [24]

    def output(self) -> str:
        return cell(self.page).locator(".cell-output").text_content()

    def main_snippet_works(self) -> None:
        assert run_and_wait(self.page).startswith("Done in"), self.output()
        found = re.search(r"normal equation\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)", self.output())
        assert found, self.output()
        slope, intercept = map(float, found.groups())
        assert abs(slope - 2.4739) < 1e-4 and abs(intercept - 3.9851) < 1e-4
        image = cell(self.page).locator(".cell-output img")
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 200


def test_a_second_visit_starts_from_a_snapshot_and_the_kept_installed_files(
    browser, server, tmp_path
) -> None:
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        bypass_csp=True,
    )
    try:
        first = Visit(context, server)
        assert first.started() == {"snapshot": False, "installedFiles": False}
        assert first.installed_from_wheels()
        first.wait_until_kept(FILES)
        first.wait_until_kept(SNAPSHOT)  # once idle: after scikit-learn's prefetch
        first.page.close()

        second = Visit(context, server)
        assert second.started() == {"snapshot": True, "installedFiles": True}
        assert not second.installed_from_wheels()
        second.main_snippet_works()
        # Packages installed later go beside the restored ones, which they depend on.
        assert run_and_wait(second.page, "sklearn").startswith("Done in")
        sklearn = cell(second.page, "sklearn").locator(".cell-output").text_content()
        found = re.search(r"slope (\d+\.\d+), intercept (\d+\.\d+)", sklearn)
        assert found, sklearn
        assert abs(float(found[1]) - 2.5) < 0.3 and abs(float(found[2]) - 4.0) < 1.0
        assert not second.installed_from_wheels()
        assert any(w.startswith("scikit_learn-") for w in second.wheels)
        second.damage(FILES)
        second.page.close()

        third = Visit(context, server)
        assert third.started() == {"snapshot": True, "installedFiles": False}
        assert third.installed_from_wheels()  # the damaged entry was not used
        third.main_snippet_works()
        third.wait_until_kept(FILES)  # a whole entry again, made from the reinstalled files
        third.damage(SNAPSHOT)
        third.page.close()

        fourth = Visit(context, server)
        assert fourth.started() == {"snapshot": False, "installedFiles": True}
        assert not fourth.installed_from_wheels()
        fourth.main_snippet_works()
        assert fourth.kept_sizes(SNAPSHOT) == []  # the damaged snapshot is gone
    finally:
        context.close()
