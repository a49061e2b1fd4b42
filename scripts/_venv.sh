# Sourced by start.sh and test.sh: make .venv (Python 3.11+) and install the project into it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Passerelle a besoin de Python 3.11 ou plus récent / needs Python 3.11+ ($PY)." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  # Debian ships venv separately: fall back to virtualenv from PyPI when it is missing.
  "$PY" -m venv .venv 2>/dev/null || {
    rm -rf .venv
    "$PY" -m pip install --quiet --user virtualenv
    "$PY" -m virtualenv --quiet .venv
  }
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --editable ".${EXTRAS:-}"
