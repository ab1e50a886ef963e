#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite:
#   Debian's Chromium, Firefox ESR, WebKitGTK's WebDriver and Xvfb (through apt-get, when
#   missing),
#   a virtual environment .venv with the project's test extras,
#   the front-end packages (npm ci, from the committed package-lock.json),
# then ruff, and pytest (unit tests on CPython, browser tests in Chromium).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k linreg`.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's browsers for the engine tests (tests/browser/test_engines.py): Chromium,
# Firefox ESR (driven by puppeteer-core over WebDriver BiDi), WebKitGTK (its WebDriver and
# MiniBrowser, driven by Selenium on a virtual X display).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
[ -x /usr/bin/Xvfb ] || missing+=(xvfb)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing from Debian: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  echo "== installing python3-venv"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi

echo "== Python environment (.venv, test extras)"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# scikit-learn 1.6.1 is the page's version (Pyodide 0.27.7, with NumPy 2.0.2): linreg's
# scikit-learn checks run against it too, in a second small environment (linreg comes from
# py_src through PYTHONPATH, so nothing of ours is installed there).
if ! .venv-sklearn-1.6/bin/python -c "import sklearn; assert sklearn.__version__ == '1.6.1'" 2>/dev/null; then
  echo "== second environment for scikit-learn 1.6.1 (.venv-sklearn-1.6)"
  python3 -m venv .venv-sklearn-1.6
  .venv-sklearn-1.6/bin/python -m pip install --quiet --disable-pip-version-check \
    "scikit-learn==1.6.1" "numpy==2.0.2"
fi

echo "== front-end packages (npm ci)"
npm ci --no-audit --no-fund --loglevel=error

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== pytest"
# --durations: the slowest tests are listed at the end, to keep the suite short.
exec .venv/bin/python -m pytest --durations=15 "$@"
