"""The lesson pages as the build renders them: math typeset, links that lead somewhere,
navigation, the examples index, and the build refusing broken Markdown.

The front-end half of the build (web/tools/build-site.mjs) runs once into a temporary
folder; no Pyodide is needed for this.
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lesson_snippets import LESSONS, ROOT, pages_with_cells

EXAMPLES = ["polynomial-regression.html", "correlated-features.html", "learning-rate.html"]
RAW_TEX = re.compile(r"\$|\\(?:frac|sum|hat|mathbf|lVert|begin|top|partial|eta|lambda)\b")


class Page(HTMLParser):
    """Visible text (KaTeX's hidden MathML copy left out), links, ids, scripts, katex spans."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0
        self.katex = 0
        self.nav_current: list[str] = []
        self._hidden = 0  # depth inside .katex-mathml, <script>, <style>, <code>
        self._in_nav_current = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if "id" in a:
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
            self._in_nav_current = a.get("aria-current") == "page"
        if tag == "script" and a.get("type") != "application/json":  # code, not an exercise's data
            self.scripts += 1
        if "katex" in classes:
            self.katex += 1
        if self._hidden or "katex-mathml" in classes or tag in ("script", "style", "code"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden -= 1
        if tag == "a":
            self._in_nav_current = False

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._in_nav_current:
            self.nav_current.append(data)
        if not self._hidden:
            self.text.append(data)

    @property
    def visible_text(self) -> str:
        return "".join(self.text)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    config = {
        "buildId": "test",
        "pyodideIndexURL": "pyodide/v0.27.7/",
        "lockFileURL": "py/pyodide-lock.json",
        "pyodideVersion": "0.27.7",
        "preloadPackages": ["numpy"],
    }
    subprocess.run(
        ["node", str(ROOT / "web" / "tools" / "build-site.mjs"), str(out), json.dumps(config)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Page]:
    names = [p.name.removesuffix(".md") + ".html" for p in sorted(LESSONS.glob("*.md"))]
    return {name: Page((site / name).read_text()) for name in names}


def test_every_lesson_page_is_built_and_the_lesson_is_the_sites_root(pages) -> None:
    assert set(pages) == {"index.html", "examples.html", *EXAMPLES}
    assert "Linear regression from scratch" in pages["index.html"].visible_text


def test_the_math_is_typeset_and_no_raw_tex_is_left_in_the_text(pages) -> None:
    for name, page in pages.items():
        assert not RAW_TEX.search(page.visible_text), (name, RAW_TEX.search(page.visible_text))
    assert pages["index.html"].katex > 60
    assert all(pages[name].katex > 5 for name in EXAMPLES)


def test_every_link_between_pages_leads_to_a_page_and_its_section(site, pages) -> None:
    for name, page in pages.items():
        for link in page.links:
            if link.startswith(("http://", "https://")):
                continue
            target, _, anchor = link.partition("#")
            target = target or name
            assert (site / target).exists(), f"{name} links to missing {target}"
            if anchor and target in pages:
                assert anchor in pages[target].ids, f"{name} links to missing #{anchor}"


def test_the_lesson_ends_with_the_examples_and_the_index_lists_every_page(pages) -> None:
    lesson_links = pages["index.html"].links
    ending = lesson_links[lesson_links.index(EXAMPLES[0]) :]
    assert all(example in ending for example in EXAMPLES) and "examples.html" in ending
    index = pages["examples.html"].links
    assert all(page in index for page in ["index.html", *EXAMPLES, "playground.html"])
    for name in EXAMPLES:  # each example leads back
        assert "index.html" in pages[name].links and "examples.html" in pages[name].links


def test_the_navigation_marks_the_current_page(pages) -> None:
    assert pages["index.html"].nav_current == ["Lesson"]
    assert pages["examples.html"].nav_current == ["Examples"]
    assert pages["learning-rate.html"].nav_current == []  # an example is none of the three


def test_pages_with_cells_load_python_and_the_examples_index_only_its_progress(site, pages) -> None:
    with_cells = {md.removesuffix(".md") + ".html" for md in pages_with_cells()}
    assert with_cells == {"index.html", *EXAMPLES}
    for name, page in pages.items():
        html = (site / name).read_text()
        if name in with_cells:
            assert page.scripts == 1 and 'id="python-status"' in html
        else:
            # Its one script writes the exercise progress beside the links; no Python.
            # (The page's CSS, inlined in every head, names #python-status; no element is.)
            assert page.scripts == 1 and "progress-totals" in html
            assert 'id="python-status"' not in html and "modulepreload" not in html


def test_snippets_json_lists_every_page_and_cell(site) -> None:
    manifest = json.loads((site / "snippets.json").read_text())
    by_page = {page["name"]: page["cells"] for page in manifest["pages"]}
    for md, cells in pages_with_cells().items():
        assert by_page[md.removesuffix(".md") + ".html"] == cells
    assert manifest["snippets"]["check"]["page"] == "index.html"


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("# T\n\n$\\frac{1}{$\n", "KaTeX cannot typeset"),
        ("# T\n\n$\\text{m²}$\n", "KaTeX cannot typeset"),
        ("# T\n\n```python cell=a\n1\n```\n\n```python cell=a\n2\n```\n", "two cells are named a"),
        ("# T\n\n```python cell=bad name\n1\n```\n", "cannot read the cell fence"),
    ],
)
def test_broken_markdown_stops_the_build_with_a_message(tmp_path, markdown, message) -> None:
    lesson = tmp_path / "broken.md"
    lesson.write_text(markdown)
    done = subprocess.run(
        ["node", str(ROOT / "web" / "tools" / "markdown.mjs"), str(lesson)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert message in done.stderr and "broken.md" in done.stderr
