"""What every step of the build uses: its error, its log line, running a command, writing a
file, a sha256."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from .config import ROOT


class BuildError(Exception):
    """A build step failed; the message says which and why."""


# --------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(command: list[str], *, cwd: Path = ROOT) -> str:
    """Run a command and return its standard output; fail the build with its output if it fails."""
    try:
        done = subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BuildError(f"`{command[0]}` was not found; install it and build again.") from error
    except subprocess.CalledProcessError as error:
        output = (error.stdout or "") + (error.stderr or "")
        raise BuildError(f"`{' '.join(command)}` failed:\n{output.strip()}") from error
    return done.stdout


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
