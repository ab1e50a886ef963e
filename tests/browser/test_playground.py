"""The full editor (playground.html) in Chromium: it opens with the learner's code, shares
it by link, keeps edits across reloads (here and in the lesson), downloads and opens .py
files, loads the lesson's snippets from its examples menu, and lays out editor and output
side by side."""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

from conftest import (
    RUN_TIMEOUT_MS,
    cell,
    editor_code,
    output_text,
    run_and_wait,
    set_code,
    wait_ready,
)
from playwright.sync_api import expect

# A link made once by share.js (encodeCode) and kept verbatim: links made by any build must
# keep opening in every later build, so a change of the link format fails this test.
OLD_LINK_FRAGMENT = (
    "code=RYxBCsIwFET3OcWgm1ZLaBE3Qm_gSk8Q9UcDbfL5jdBSPIVbT-ERPIonMVTQ1Qwzb2aO_cUInWAltNg6T0awo7N"
    "Q17ngsTWHDQyYxNIxoklAgd3riRoV3o-7ci0HifDXlgeYDp6V6lPrWRsx_kzZWpe5GlK00iUW6LFEpUvVNYHTl_OR5E"
    "gcvxsOzWBdzPoCQ4EqVyyJyOxswutxko1e2dt_WY8_OzWzXH0A"
)
OLD_LINK_CODE = """\
# Shared from Linear Regression Lab: a perfect line, R² = 1 ✓
import numpy as np

x = np.arange(5.0)
y = 3.0 * x + 1.0
slope, intercept = np.polyfit(x, y, 1)
print(f"slope={slope:.3f} intercept={intercept:.3f}")
"""


# ------------------------------------------------------------------------------ helpers


def encode(code: str) -> str:
    """The link format, written independently of share.js: base64url(raw deflate(UTF-8))."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = packer.compress(code.encode()) + packer.flush()
    return "code=" + base64.urlsafe_b64encode(data).decode().rstrip("=")


def decode(url_or_fragment: str) -> str:
    fragment = url_or_fragment.split("#", 1)[-1]
    payload = urllib.parse.parse_qs(fragment)["code"][0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return zlib.decompress(data, wbits=-15).decode()


def catalog(server: str) -> dict:
    with urllib.request.urlopen(f"{server}snippets.json") as response:
        return json.load(response)


def open_playground(page, server: str, fragment: str = ""):
    page.goto(f"{server}playground.html" + (f"#{fragment}" if fragment else ""))
    page.wait_for_selector("body[data-playground='ready']")
    return page


def reload_playground(page) -> None:
    page.reload()
    page.wait_for_selector("body[data-playground='ready']")


def open_lesson(page, server: str, name: str = "") -> None:
    page.goto(f"{server}{name}")
    page.wait_for_function("globalThis.labCells?.length > 0")


def code_now(page) -> str:
    return page.evaluate("labCells[0].code")


def cell_id(page) -> str:
    return page.locator(".playground .cell").get_attribute("data-cell-id")


def notice(page, key: str):
    return page.locator(f".playground-notices [data-notice='{key}']")


def saved_record(page, area: str, snippet: str):
    """The saved record of a snippet (storage.js keys end with ':<area>:<id>'), or None."""
    return page.evaluate(
        """([area, id]) => {
            const key = Object.keys(localStorage).find(k => k.endsWith(`:${area}:${id}`));
            return key ? JSON.parse(localStorage.getItem(key)) : null;
        }""",
        [area, snippet],
    )


def rewrite_record(page, area: str, snippet: str, changes: dict) -> None:
    page.evaluate(
        """([area, id, changes]) => {
            const key = Object.keys(localStorage).find(k => k.endsWith(`:${area}:${id}`));
            const record = JSON.parse(localStorage.getItem(key));
            localStorage.setItem(key, JSON.stringify({ ...record, ...changes }));
        }""",
        [area, snippet, changes],
    )


# ------------------------------------------------------------------------------ share links


def test_an_old_link_opens_unrun_then_run_clear_and_stop_work(page, server) -> None:
    open_playground(page, server, OLD_LINK_FRAGMENT)
    assert code_now(page) == OLD_LINK_CODE
    assert cell_id(page) == "playground"
    assert "Code from a shared link" in page.inner_text("#doc-title")
    wait_ready(page)
    # Shown, not run: Python is ready and no run was ever asked for.
    assert page.evaluate("labCells[0].host.nextRunId") == 1
    assert output_text(page, "playground") == ""
    assert page.inner_text(".cell-status") == ""

    status = run_and_wait(page, "playground")
    assert status.startswith("Done in")
    assert output_text(page, "playground").strip() == "slope=3.000 intercept=1.000"

    page.get_by_role("button", name="Clear output").click()
    assert output_text(page, "playground") == ""
    assert page.inner_text(".cell-status") == ""

    set_code(page, "print(sum(i * i for i in range(4)))", "playground")
    assert run_and_wait(page, "playground", keyboard=True).startswith("Done in")
    assert output_text(page, "playground").strip() == "14"

    endless = "import time\nprint('started', flush=True)\nwhile True:\n    time.sleep(0.05)"
    set_code(page, endless, "playground")
    page.get_by_role("button", name="Run").click()
    page.wait_for_function(
        "document.querySelector('.cell-output').textContent.includes('started')",
        timeout=RUN_TIMEOUT_MS,
    )
    page.get_by_role("button", name="Stop").click()
    page.wait_for_function("!document.querySelector('.cell').classList.contains('is-running')")
    assert page.inner_text(".cell-status") == "Stopped"
    assert "Your variables are kept" in output_text(page, "playground")


def test_share_copies_a_link_that_opens_the_same_code_unrun(page, server, context) -> None:
    open_playground(page, server)
    code = (
        "import numpy as np\n\n# R² of a straight line ✓\n"
        "print(np.corrcoef([1, 2, 3], [2, 4, 6])[0, 1] ** 2)\n"
    )
    set_code(page, code, "playground-main")
    page.get_by_role("button", name="Share link").click()
    shared = notice(page, "share")
    assert shared.inner_text().startswith("Link copied.")
    assert page.get_by_role("button", name="Link copied ✓").is_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert shared.get_by_role("textbox", name="Link to this code").input_value() == link
    assert link.startswith(f"{server}playground.html#code=")
    assert "from=" not in link  # a shared link never lands in the recipient's own snippet slots
    assert decode(link) == code

    other = context.new_page()
    try:
        open_playground(other, server, link.split("#", 1)[1])
        assert code_now(other) == code
        assert cell_id(other) == "playground"
        assert other.evaluate("labCells[0].host.nextRunId") == 1
        assert other.locator(".cell-output").inner_text() == ""
    finally:
        other.close()


def test_without_a_clipboard_the_link_is_shown_selected_in_a_field(page, server) -> None:
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    open_playground(page, server)
    page.get_by_role("button", name="Share link").click()
    shared = notice(page, "share")
    assert "did not let the page copy it" in shared.inner_text()
    field = shared.get_by_role("textbox", name="Link to this code")
    assert field.evaluate("f => f === document.activeElement")
    value = field.input_value()
    assert field.evaluate("f => [f.selectionStart, f.selectionEnd]") == [0, len(value)]
    assert decode(value) == code_now(page)


def test_a_damaged_link_says_so_and_still_shows_code(page, server) -> None:
    main = catalog(server)["snippets"]["main"]["code"]
    open_playground(page, server, OLD_LINK_FRAGMENT[:-25])  # cut short, as by a chat app
    damaged = notice(page, "link")
    assert damaged.get_attribute("role") == "alert"
    text = damaged.inner_text()
    assert "This link's code is damaged" in text
    assert "The editor shows the lesson's snippet" in text
    assert code_now(page) == main
    assert cell_id(page) == "playground-main"

    open_playground(page, server, "code=not*base64!")
    assert "damaged" in notice(page, "link").inner_text()
    assert code_now(page) == main


def test_a_new_link_never_silently_replaces_saved_work(page, server) -> None:
    open_playground(page, server, OLD_LINK_FRAGMENT)
    mine = "print('my own work, from an earlier link')\n"
    set_code(page, mine, "playground")
    assert saved_record(page, "playground", "scratch")["code"] == mine

    arriving = "print('a link a friend sent')\n"
    # A link pasted into this tab (only the fragment changes) just as the address bar's
    # delayed update to follow the typing above rewrites the address: the new link wins.
    page.evaluate(
        """([arriving, typed]) => {
            location.hash = arriving;                    // "hashchange" is now on its way
            history.replaceState(null, '', '#' + typed);  // the delayed update, first
        }""",
        [encode(arriving), encode(mine)],
    )
    page.wait_for_function("labCells[0].code === \"print('a link a friend sent')\\n\"")
    replaced = notice(page, "previous")
    assert "replaced the code you had here before" in replaced.inner_text()
    replaced.get_by_role("button", name="Bring back my earlier code").click()
    assert code_now(page) == mine
    assert "Your earlier code is back" in replaced.inner_text()
    replaced.get_by_role("button", name="Show the newer code again").click()
    assert code_now(page) == arriving
    replaced.get_by_role("button", name="Forget the other version").click()
    assert replaced.count() == 0

    page.wait_for_timeout(500)  # the address bar follows the editor
    reload_playground(page)
    assert code_now(page) == arriving
    assert notice(page, "previous").count() == 0


# ------------------------------------------------------------------------------ keeping work


def test_lesson_edits_survive_a_reload_and_reset_brings_back_the_original(page, server) -> None:
    open_lesson(page, server)
    shipped = editor_code(page)
    note = cell(page).locator(".cell-note")
    assert note.is_hidden()

    set_code(page, "print('kept across reloads')")
    page.reload()
    page.wait_for_function("globalThis.labCells?.length > 0")
    assert editor_code(page) == "print('kept across reloads')"
    assert "Your edited version, saved in this browser" in note.inner_text()
    others = page.evaluate("labCells.slice(1).map(c => [c.code, c.originalCode])")
    assert all(code == original for code, original in others)  # only the edited snippet changed

    cell(page).locator("button.reset").click()
    assert editor_code(page) == shipped
    assert note.is_hidden()
    assert "undoes" in cell(page).locator(".cell-status").inner_text()
    cell(page).locator(".cm-content").click()
    page.keyboard.press("Control+z")  # Reset is an edit: undo brings the learner's code back
    assert editor_code(page) == "print('kept across reloads')"
    cell(page).locator("button.reset").click()
    assert saved_record(page, "lesson", "main") is None
    page.reload()
    page.wait_for_function("globalThis.labCells?.length > 0")
    assert editor_code(page) == shipped
    assert note.is_hidden()

    # A later build ships a different snippet: the learner's version stays, and says so.
    set_code(page, "print('my version')")
    older = "print('the snippet as an older build shipped it')\n"
    rewrite_record(page, "lesson", "main", {"base": older})
    page.reload()
    page.wait_for_function("globalThis.labCells?.length > 0")
    assert editor_code(page) == "print('my version')"
    assert "This snippet was updated since you edited it" in note.inner_text()
    cell(page).locator("button.reset").click()
    assert editor_code(page) == shipped
    assert saved_record(page, "lesson", "main") is None


def test_full_editor_edits_survive_a_reload_and_reset_restores(page, server) -> None:
    main = catalog(server)["snippets"]["main"]["code"]
    open_playground(page, server)
    assert code_now(page) == main
    assert "as in the lesson" in page.inner_text("#doc-title")

    mine = "x = 1\nprint(x + 1)\n"
    set_code(page, mine, "playground-main")
    reload_playground(page)  # at once: the address bar may still carry the code before the edit
    assert code_now(page) == mine
    assert notice(page, "previous").count() == 0
    assert "your edits are saved in this browser" in page.inner_text("#doc-title")

    page.goto(f"{server}playground.html")  # back through the site's navigation
    page.wait_for_selector("body[data-playground='ready']")
    assert code_now(page) == mine
    assert cell_id(page) == "playground-main"

    page.get_by_role("button", name="Reset").click()
    assert code_now(page) == main
    reload_playground(page)  # at once again: the address bar still carries the edit
    assert code_now(page) == main
    assert notice(page, "previous").count() == 0
    page.wait_for_function("!Object.keys(localStorage).some(k => k.endsWith(':playground:main'))")
    reload_playground(page)
    assert code_now(page) == main

    # A snippet updated by a later build since the learner edited it here
    set_code(page, mine, "playground-main")
    rewrite_record(page, "playground", "main", {"base": "print('older')\n", "address": None})
    page.goto(f"{server}playground.html")
    page.wait_for_selector("body[data-playground='ready']")
    assert code_now(page) == mine
    assert "was updated since you edited it here" in notice(page, "updated").inner_text()
    page.get_by_role("button", name="Reset").click()
    assert code_now(page) == main
    assert notice(page, "updated").count() == 0


def test_the_lesson_link_carries_each_snippet_exactly(page, server) -> None:
    data = catalog(server)
    for lesson_page in data["pages"]:
        if not lesson_page["cells"]:
            continue
        open_lesson(page, server, lesson_page["name"])
        links = page.evaluate(
            """labCells.map(c => {
                c.openLink.focus();  // the link's address is refreshed as it is reached
                return [c.cellId, c.openLink.getAttribute('href')];
            })"""
        )
        lesson_cells = [cell_id for cell_id, _ in links if not cell_id.startswith("exercise-")]
        assert lesson_cells == lesson_page["cells"]
        exercises = [cell_id for cell_id, _ in links if cell_id.startswith("exercise-")]
        assert sorted(exercises) == sorted(f"exercise-{e}" for e in lesson_page["exercises"])
        for snippet, href in links:
            fragment = href.split("#", 1)[1]
            assert urllib.parse.parse_qs(fragment)["from"] == [snippet]
            assert decode(fragment) == data["snippets"][snippet]["code"]

    # The unedited main snippet opens exactly as shipped, named after its lesson section.
    open_lesson(page, server)
    cell(page).locator("a.open-full").click()
    page.wait_for_selector("body[data-playground='ready']")
    assert code_now(page) == data["snippets"]["main"]["code"]
    assert cell_id(page) == "playground-main"
    assert notice(page, "previous").count() == 0


def test_without_storage_both_pages_keep_working_and_say_so(page, server, context) -> None:
    page.add_init_script(
        "Storage.prototype.setItem = function () {"
        "  throw new DOMException('full', 'QuotaExceededError') }"
    )
    open_lesson(page, server)
    set_code(page, "print('not saved')")
    note = cell(page).locator(".cell-note")
    assert "storage for this site is full" in note.inner_text()
    assert editor_code(page) == "print('not saved')"

    blocked = context.new_page()
    errors = []
    blocked.on("pageerror", lambda error: errors.append(str(error)))
    blocked.add_init_script(
        "Object.defineProperty(window, 'localStorage', {"
        "  get() { throw new DOMException('no', 'SecurityError') } })"
    )
    try:
        open_playground(blocked, server)
        assert "does not let the page save your edits" in notice(blocked, "storage").inner_text()
        assert "not saved" in blocked.inner_text("#doc-title")
        set_code(blocked, "print('kept in memory')\n", "playground-main")
        blocked.get_by_role("button", name="Open .py…").is_visible()
        blocked.locator(".examples-menu summary").click()
        blocked.locator(".examples-panel button[data-snippet]").nth(1).click()
        assert code_now(blocked) != "print('kept in memory')\n"
        blocked.locator(".examples-menu summary").click()
        blocked.locator(".examples-panel button[data-snippet='main']").click()
        assert code_now(blocked) == "print('kept in memory')\n"  # for the life of the page
    finally:
        blocked.close()
    assert not errors


# ------------------------------------------------------------------------------ files


def test_download_holds_the_code_as_a_py_file(page, server) -> None:
    open_playground(page, server)
    code = "# ünïcode survives\nprint('downloaded')\n"
    set_code(page, code, "playground-main")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download .py").click()
    download = info.value
    assert download.suggested_filename == "main.py"
    assert Path(download.path()).read_text(encoding="utf-8") == code

    with page.expect_download() as info:
        page.keyboard.press("Control+s")  # the page's save, not the browser's "save page as"
    assert Path(info.value.path()).read_text(encoding="utf-8") == code


def test_opening_a_py_file_loads_it_and_bad_files_get_a_friendly_message(page, server) -> None:
    open_playground(page, server)
    set_code(page, "print('edits of main')\n", "playground-main")
    chooser = page.locator("input[type=file]")
    windows_file = b"import numpy as np\r\nprint(np.pi)\r\n"
    chooser.set_input_files(
        files=[{"name": "my_fit.py", "mimeType": "text/x-python", "buffer": windows_file}]
    )
    page.wait_for_function("labCells[0].code.startsWith('import numpy')")
    assert code_now(page) == "import numpy as np\nprint(np.pi)\n"  # Windows line ends normalised
    assert cell_id(page) == "playground"
    assert "my_fit.py" in page.inner_text("#doc-title")
    opened = notice(page, "file").inner_text()
    assert "Opened my_fit.py" in opened
    assert "are kept" in opened
    with page.expect_download() as info:
        page.get_by_role("button", name="Download .py").click()
    assert info.value.suggested_filename == "my_fit.py"

    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001")
    for name, data, message in [
        ("photo.png", png, "is not a Python file"),
        ("sneaky.py", png, "is not a text file"),
        ("huge.py", b"#" * (600 * 1024), "too big for the editor"),
    ]:
        chooser.set_input_files(files=[{"name": name, "mimeType": "text/plain", "buffer": data}])
        page.wait_for_function(
            "msg => document.querySelector(\"[data-notice='file']\")?.textContent.includes(msg)",
            arg=message,
        )
        assert notice(page, "file").get_attribute("role") == "alert"
        assert code_now(page) == "import numpy as np\nprint(np.pi)\n"


# ------------------------------------------------------------------------------ examples


def test_the_examples_menu_loads_each_snippet_and_keeps_edits(page, server) -> None:
    data = catalog(server)
    lesson_first = sorted(data["pages"], key=lambda p: p["name"] != "index.html")
    ids = [  # each page's cells, then its exercises (snippets named exercise-ID)
        snippet
        for lesson_page in lesson_first
        for snippet in [*lesson_page["cells"], *(f"exercise-{e}" for e in lesson_page["exercises"])]
    ]

    # The menu names a snippet after the lesson section it is in.
    open_lesson(page, server)
    main_section = page.evaluate(
        """() => {
            let heading = null;
            for (const node of document.querySelectorAll('h1, h2, h3, h4, .cell[data-cell-id]')) {
                if (!node.matches('.cell')) heading = node;
                else if (node.dataset.cellId === 'main') return heading.textContent.trim();
            }
        }"""
    )

    # Start from shared code, so that every snippet is "another" one.
    open_playground(page, server, OLD_LINK_FRAGMENT)
    set_code(page, "print('scratch work')\n", "playground")
    summary = page.locator(".examples-menu summary")
    summary.click()
    items = page.locator(".examples-panel button[data-snippet]")
    assert items.evaluate_all("b => b.map(e => e.dataset.snippet)") == ["scratch", *ids]
    main_item = page.locator(".examples-panel button[data-snippet='main']")
    page.wait_for_function(  # the titles come from the lesson pages, read in the background
        """title => document.querySelector(
            ".examples-panel button[data-snippet='main'] .example-title").textContent === title""",
        arg=main_section,
    )
    assert main_item.locator(".example-detail").inner_text().startswith("main · ")

    target = ids[-1]
    page.locator(f".examples-panel button[data-snippet='{target}']").click()
    assert page.locator(".examples-menu").get_attribute("open") is None
    assert code_now(page) == data["snippets"][target]["code"]
    assert cell_id(page) == f"playground-{target}"
    assert "is kept: pick it under Load example" in notice(page, "examples").inner_text()

    # Edit this one too, then go back to the scratch code: both are kept.
    set_code(page, "print('edited example')\n", f"playground-{target}")
    summary.click()
    badge = page.locator(f".examples-panel button[data-snippet='{target}'] .example-badge")
    # the edit is saved a moment after typing stops; the menu shows it once saved
    expect(badge.first).to_have_text("your edits")
    page.locator(".examples-panel button[data-snippet='scratch']").click()
    assert code_now(page) == "print('scratch work')\n"
    summary.click()
    page.locator(f".examples-panel button[data-snippet='{target}']").click()
    assert code_now(page) == "print('edited example')\n"

    # Keyboard: Enter opens the menu, Escape closes it and gives focus back.
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".examples-menu").get_attribute("open") is not None
    page.wait_for_function("document.activeElement.matches('.examples-panel button')")
    page.keyboard.press("Escape")
    assert page.locator(".examples-menu").get_attribute("open") is None
    assert summary.evaluate("s => s === document.activeElement")


# ------------------------------------------------------------------------------ layout, a11y


def boxes(page) -> tuple[dict, dict]:
    return (
        page.locator(".playground .cell-editor").bounding_box(),
        page.locator(".playground .cell-output").bounding_box(),
    )


def test_editor_and_output_side_by_side_resizable_and_stacked_when_narrow(page, server) -> None:
    open_playground(page, server)
    editor, output = boxes(page)
    assert output["x"] >= editor["x"] + editor["width"]  # side by side
    assert abs(output["y"] - editor["y"]) < 2
    assert editor["height"] > 300

    splitter = page.get_by_role("separator", name="Resize the editor and the output")
    assert splitter.get_attribute("aria-valuenow") == "50"
    splitter.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert splitter.get_attribute("aria-valuenow") == "60"
    wider, _ = boxes(page)
    assert wider["width"] > editor["width"] + 80

    row = page.locator(".playground .cell").bounding_box()
    handle = splitter.bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(row["x"] + row["width"] * 0.3, handle["y"] + 40, steps=5)
    page.mouse.up()
    assert abs(int(splitter.get_attribute("aria-valuenow")) - 30) <= 1
    narrower, _ = boxes(page)
    assert narrower["width"] < editor["width"] - 150
    reload_playground(page)
    assert abs(int(splitter.get_attribute("aria-valuenow")) - 30) <= 1  # remembered

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    editor, output = boxes(page)
    assert output["y"] >= editor["y"] + editor["height"] - 1  # stacked
    assert splitter.is_hidden()
    assert editor["width"] > 300
    page.locator(".examples-menu summary").click()
    menu = page.locator(".examples-panel").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= 390  # the menu fits on the screen


def test_controls_are_labelled_and_keyboard_focus_is_visible(page, server) -> None:
    open_playground(page, server)
    names = page.locator(".playground button:visible, .playground summary").evaluate_all(
        "els => els.map(e => (e.getAttribute('aria-label') || e.textContent).trim())"
    )
    assert all(names), names
    assert {"Run", "Reset", "Clear output", "Load example"} <= set(names)
    assert {"Open .py…", "Download .py", "Share link"} <= set(names)
    label = page.locator(".playground .cm-content").get_attribute("aria-label")
    assert label.startswith("Python code editor") and "Enter runs it" in label

    page.wait_for_selector("body[data-sections='ready']")  # the title line is final
    page.locator("#doc-title a").focus()

    def tab(*keys: str) -> str:
        """Press keys; the focused control's name, after checking its focus ring shows."""
        for key in keys:
            page.keyboard.press(key)
        name, outline, width = page.evaluate(
            """async () => {
                await new Promise(r => setTimeout(r, 50));  // CodeMirror marks focus a moment later
                const el = document.activeElement;
                const ring = el.closest('.cm-editor') ?? el;  // CodeMirror outlines its frame
                const style = getComputedStyle(ring);
                return [el.getAttribute('aria-label') || el.textContent.trim(),
                        style.outlineStyle, parseFloat(style.outlineWidth)];
            }"""
        )
        assert outline != "none" and width >= 2, (name, outline, width)
        return name

    seen = [tab("Tab") for _ in range(8)]
    assert seen[:7] == [
        "Load example", "Open .py…", "Download .py", "Share link", "Run", "Reset", "Clear output"
    ]  # fmt: skip
    assert seen[7].startswith("Python code editor")
    # In the editor Tab indents; Escape then Tab moves on (CodeMirror's way out).
    assert tab("Escape", "Tab") == "Resize the editor and the output"
