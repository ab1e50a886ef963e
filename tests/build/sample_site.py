"""A small site to compress and serve: compressible stand-ins for the real files."""

from __future__ import annotations

import os
from pathlib import Path

from sitebuild.common import write
from sitebuild.config import PYODIDE_DIR

# Compressible stand-ins for the real files: repetitive, like code and wasm.
WASM = b"\x00asm\x01\x00\x00\x00" + b"".join(i.to_bytes(4, "little") for i in range(20_000))
SCRIPT = b"".join(b"export const value%d = %d;\n" % (i, i * i) for i in range(2_000))
GZIP = {"Accept-Encoding": "gzip"}
PAGE = b"<!doctype html><title>t</title>" + b"<p>Linear regression from scratch.</p>\n" * 200


def write_sample_site(root: Path) -> Path:
    files = {
        f"{PYODIDE_DIR}/pyodide.asm.wasm": WASM,
        f"{PYODIDE_DIR}/pyodide.mjs": SCRIPT,
        f"{PYODIDE_DIR}/numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl": SCRIPT,
        "assets/chunk-ABC.js": SCRIPT,
        "assets/tiny.css": b"body { margin: 0 }\n",
        "snippets.json": os.urandom(4096),  # incompressible: no copy
        "index.html": PAGE,
    }
    for name, data in files.items():
        write(root / name, data)
    return root


def brotli_decompress(data: bytes) -> bytes:
    """Decode Brotli with Node's zlib (Python's standard library has no Brotli codec)."""
    import subprocess

    script = (
        "const chunks = [];"
        "process.stdin.on('data', (c) => chunks.push(c));"
        "process.stdin.on('end', () => process.stdout.write("
        "require('zlib').brotliDecompressSync(Buffer.concat(chunks))));"
    )
    done = subprocess.run(["node", "-e", script], input=data, capture_output=True, check=True)
    return done.stdout
