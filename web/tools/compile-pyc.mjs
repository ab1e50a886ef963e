// Find which Python modules the page imports, and byte-compile them, with Pyodide's own
// interpreter; called by build.py:
//
//     node compile-pyc.mjs PYODIDE_DIR WORK_DIR JOB_JSON
//
// PYODIDE_DIR holds the verified core files of the npm package (pyodide.mjs,
// pyodide.asm.js/.wasm, python_stdlib.zip, pyodide-lock.json) and, for a trace, the
// verified wheels with a lock file naming them.  WORK_DIR holds one folder per unpacked
// archive to compile: a wheel, or (a folder named python_stdlib.zip) the standard library.
// JOB_JSON (a file) says what to do, one of:
//
//     {"trace": {"lockFile": NAME, "packages": [...], "env": {...},
//                "imports": [...], "code": "..."}, "compile": {}}
//     {"trace": null, "compile": {FOLDER: "all" | [PATH, ...]}}
//
// A trace (build.py's ImportTrace) does what the page's worker does, in Node: install the
// packages it preloads, `import lab_runner`, `lab_runner.warm_up()`, run the main snippet
// as a Run does (find_imports, then lab_runner.run_cell) -- the "boot" modules -- then
// import what the worker prefetches and the lessons import -- "all" the modules.  Every
// module that was loaded from a .py file is named by its path as installed: relative to
// site-packages ("site"), or inside the standard library's zip on sys.path ("stdlib").
// A compile gives each folder's sources bytecode: all of them, or those listed.
//
// Never both in one run: CPython 3.12's marshal writes a constant according to the
// interpreter's state (whether an equal string was interned, how many references an
// object has), and the trace runs thousands of modules' code.  A .pyc written after it
// would differ from one written by a run that only compiles, which is what a build whose
// trace is cached does: the bytes would depend on the cache.  A compile-only run starts
// from the same state every time (see the interning below).

// Each compiled source gets its `__pycache__/NAME.cpython-312.pyc` beside it, written by
// Pyodide's CPython 3.12.7 -- not by the host's Python, whose bytecode (3.11, say) Pyodide
// could not read.  build.py repacks the archives from there.  How, and why:
// - invalidation mode UNCHECKED_HASH: Pyodide unpacks a wheel with fresh file times, so a
//   timestamp .pyc would never match its source and be compiled again; an unchecked-hash
//   .pyc is trusted as it is (the wheel's sha256 in the lock file vouches for it);
// - optimize level 0: docstrings and asserts stay, as the learner's `help()` needs them;
// - the file name recorded in the code (what tracebacks print) is the module's path once
//   installed -- in site-packages, or in the standard library's zip on sys.path -- so a
//   .pyc shipped without its source still names the right file.
// Prints one JSON line: the interpreter's version and magic number, the traced modules,
// and per folder how many files were compiled and which could not be (their source is
// then kept as it is).  A trace that fails (a package that does not install, an import
// that raises, a snippet that fails) exits with status 1 and says why on stderr.

import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, workDir, jobFile] = process.argv.slice(2).map((p) => path.resolve(p));
if (!pyodideDir || !workDir || !jobFile) {
  console.error("usage: node compile-pyc.mjs PYODIDE_DIR WORK_DIR JOB_JSON");
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobFile, "utf8"));

const PYTHON = `
import importlib, importlib.util, json, os, py_compile, site, sys

INSTALL_DIR = site.getsitepackages()[0]
STDLIB_ZIP = next(entry for entry in sys.path if entry.endswith(".zip"))

# marshal writes a string constant as "interned" or not as the string object says.  The
# empty string and the 256 one-character Latin-1 strings are singletons, interned the first
# time any code anywhere in the process interns them: so a .pyc would depend on what ran
# before (the trace's imports, the modules compiled earlier).  Interned all at once here,
# every .pyc is the same whatever ran before it.
for _char in ["", *map(chr, range(256))]:
    sys.intern(_char)


def installed_name(file_name):
    """("site" | "stdlib", path inside) of a module's .py file, or None (elsewhere)."""
    if not isinstance(file_name, str) or not file_name.endswith(".py"):
        return None
    for where, prefix in (("site", INSTALL_DIR), ("stdlib", STDLIB_ZIP)):
        if file_name.startswith(prefix + "/"):
            return where, file_name[len(prefix) + 1:]
    return None


def loaded_files(executed):
    """The installed .py files of the modules run (code objects' files) or imported."""
    files = set(executed)
    for module in list(sys.modules.values()):
        spec = getattr(module, "__spec__", None)
        files.add(getattr(spec, "origin", None) or getattr(module, "__file__", None))
    found = {"site": set(), "stdlib": set()}
    for file_name in files:
        name = installed_name(file_name)
        if name:
            found[name[0]].add(name[1])
    return {where: sorted(paths) for where, paths in found.items()}


def trace(imports, code):
    """The .py files the page's worker loads: by "ready" and its first Run ("boot"), and
    by then, the prefetch and the lessons' imports too ("all")."""
    executed = set()

    def audit(event, args):
        # Every module body runs through exec(), with its code object: this sees modules
        # that were loaded and then dropped from sys.modules, too.
        if event == "exec" and hasattr(args[0], "co_filename"):
            executed.add(args[0].co_filename)

    sys.addaudithook(audit)
    import lab_runner
    from pyodide.code import find_imports

    lab_runner.warm_up()
    find_imports(code)  # what loadPackagesFromImports does before each Run
    result = lab_runner.run_cell(code, "main", lambda *args, **kwargs: None)
    if result["status"] != "ok":
        raise RuntimeError(f"the main snippet failed in the trace:\\n{result['traceback']}")
    boot = loaded_files(executed)
    for name in imports:
        importlib.import_module(name)
    return {"boot": boot, "all": loaded_files(executed)}


def compile_tree(root, install_dir, selected):
    """Compile the .py files below root that are selected (None: all of them); the code
    records paths as if root were install_dir."""
    compiled, failed = 0, {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            source = os.path.join(folder, name)
            relative = os.path.relpath(source, root)
            if selected is not None and relative not in selected:
                continue
            try:
                py_compile.compile(
                    source,
                    cfile=importlib.util.cache_from_source(source),
                    dfile=os.path.join(install_dir, relative),
                    doraise=True,
                    optimize=0,
                    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                )
                compiled += 1
            except py_compile.PyCompileError as error:
                failed[relative] = error.msg.strip().splitlines()[-1]
    return {"compiled": compiled, "failed": failed}


def run_job(work, job_json):
    job = json.loads(job_json)
    if job["trace"] and job["compile"]:
        raise ValueError("trace and compile in separate runs (see compile-pyc.mjs)")
    traced = trace(job["trace"]["imports"], job["trace"]["code"]) if job["trace"] else None
    folders = {}
    for name, what in sorted(job["compile"].items()):
        where = "stdlib" if name == "python_stdlib.zip" else "site"
        if what == "all":
            selected = None
        else:
            selected = set(what)
        folders[name] = compile_tree(
            os.path.join(work, name),
            STDLIB_ZIP if where == "stdlib" else INSTALL_DIR,
            selected,
        )
    return json.dumps({
        "version": sys.version.split()[0],
        "magic": importlib.util.MAGIC_NUMBER.hex(),
        "cacheTag": sys.implementation.cache_tag,
        "installDir": INSTALL_DIR,
        "stdlibZip": STDLIB_ZIP,
        "traced": traced,
        "folders": folders,
    })
`;

async function main() {
  const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
  const trace = job.trace;
  const pyodide = await loadPyodide({
    indexURL: pyodideDir + path.sep,
    ...(trace ? { lockFileURL: path.join(pyodideDir, trace.lockFile), packages: trace.packages } : {}),
    env: {
      ...(trace?.env ?? {}),
      // A fixed string hash seed, so the bytecode is the same on every build (reproducible
      // builds; CPython 3.12 already orders frozenset constants, this is a second belt).
      PYTHONHASHSEED: "0",
      // Line numbers without column ranges (PEP 657): the .pyc files are a third smaller
      // zipped, and a traceback through a library's frame loses only its ^^^ marks (the
      // learner's own code is compiled in the browser, with them).
      PYTHONNODEBUGRANGES: "1",
    },
    stdout: (line) => console.error(line),
    stderr: (line) => console.error(line),
  });
  if (trace) {
    const loaded = Object.keys(pyodide.loadedPackages);
    const missing = trace.packages.filter((name) => !loaded.includes(name));
    if (missing.length) throw new Error(`the trace could not install ${missing.join(", ")}`);
  }
  const mountPoint = "/work";
  pyodide.FS.mkdirTree(mountPoint);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: workDir }, mountPoint);
  pyodide.runPython(PYTHON);
  return pyodide.globals.get("run_job")(mountPoint, JSON.stringify(job));
}

try {
  process.stdout.write((await main()) + "\n");
} catch (error) {
  // The message only: a stack through pyodide.asm.js would print its minified source.
  console.error(String(error?.message ?? error));
  process.exit(1);
}
