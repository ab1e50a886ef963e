// Byte-compile Python sources with Pyodide's own interpreter, called by build.py:
//
//     node compile-pyc.mjs PYODIDE_DIR WORK_DIR
//
// PYODIDE_DIR holds the verified core files of the npm package (pyodide.mjs,
// pyodide.asm.js/.wasm, python_stdlib.zip, pyodide-lock.json).  WORK_DIR holds one folder
// per unpacked archive: a wheel, or (a folder named python_stdlib.zip) the standard
// library.  Every `.py` file below WORK_DIR gets its `__pycache__/NAME.cpython-312.pyc`
// beside it, written by Pyodide's CPython 3.12.7 -- not by the host's Python, whose
// bytecode (3.11, say) Pyodide could not read.  build.py repacks the archives from there.
//
// How the .pyc files are made, and why:
// - invalidation mode UNCHECKED_HASH: Pyodide unpacks a wheel with fresh file times, so a
//   timestamp .pyc would never match its source and be compiled again; an unchecked-hash
//   .pyc is trusted as it is (the wheel's sha256 in the lock file vouches for it);
// - optimize level 0: docstrings and asserts stay, as the learner's `help()` needs them;
// - the file name recorded in the code (what tracebacks print) is the module's path once
//   installed -- in site-packages, or in the standard library's zip on sys.path -- so a
//   .pyc shipped without its source still names the right file.
// Prints one JSON line: the interpreter's version and magic number, and per folder how
// many files were compiled and which could not be (their source is then kept as it is).

import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, workDir] = process.argv.slice(2).map((p) => path.resolve(p));
if (!pyodideDir || !workDir) {
  console.error("usage: node compile-pyc.mjs PYODIDE_DIR WORK_DIR");
  process.exit(2);
}

const COMPILE = `
import importlib.util, json, os, py_compile, site, sys

def compile_tree(root, install_dir):
    """Compile every .py below root; the code records paths as if root were install_dir."""
    compiled, failed = 0, {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            source = os.path.join(folder, name)
            relative = os.path.relpath(source, root)
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

def compile_all(work):
    install_dir = site.getsitepackages()[0]
    stdlib_zip = next(entry for entry in sys.path if entry.endswith(".zip"))
    return json.dumps({
        "version": sys.version.split()[0],
        "magic": importlib.util.MAGIC_NUMBER.hex(),
        "cacheTag": sys.implementation.cache_tag,
        "installDir": install_dir,
        "stdlibZip": stdlib_zip,
        "folders": {
            name: compile_tree(
                os.path.join(work, name),
                stdlib_zip if name == "python_stdlib.zip" else install_dir,
            )
            for name in sorted(os.listdir(work))
        },
    })
`;

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  // A fixed string hash seed, so the bytecode is the same on every build (reproducible
  // builds; CPython 3.12 already orders frozenset constants, this is a second belt).
  env: { PYTHONHASHSEED: "0" },
  stdout: (line) => console.error(line),
  stderr: (line) => console.error(line),
});
const mountPoint = "/work";
pyodide.FS.mkdirTree(mountPoint);
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: workDir }, mountPoint);
pyodide.runPython(COMPILE);
const result = pyodide.globals.get("compile_all")(mountPoint);
process.stdout.write(result + "\n");
