# Sourced by start.sh and test.sh: make .venv (Python 3.11+) and install the project into it —
# only when pyproject.toml, the extras or the Python changed since the last install (a stamp in
# .venv), so a second start takes seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Passerelle a besoin de Python 3.11 ou plus récent / needs Python 3.11+ ($PY)." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "→ Création de l'environnement .venv / creating .venv" >&2
  # Debian ships venv separately: fall back to virtualenv from PyPI when it is missing.
  "$PY" -m venv .venv 2>/dev/null || {
    rm -rf .venv
    "$PY" -m pip install --quiet --user virtualenv
    "$PY" -m virtualenv --quiet .venv
  }
fi
STAMP=.venv/.passerelle-install
WANT="$( { cat pyproject.toml; echo "extras=${EXTRAS:-}"; .venv/bin/python -VV; } | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "→ Installation des dépendances (la première fois : une à deux minutes) / installing dependencies (first time: a minute or two)…" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip
  # One line per package as it comes, so a first install never looks stuck; the whole log
  # is shown if pip fails.
  LOG=$(mktemp)
  .venv/bin/python -m pip install --editable ".${EXTRAS:-}" >"$LOG" 2>&1 &
  PIP=$!
  tail -n +1 -f --pid="$PIP" "$LOG" \
    | grep --line-buffered -E '^(Collecting|Successfully installed)' >&2 || true
  if ! wait "$PIP"; then
    echo "L'installation a échoué / the installation failed:" >&2
    cat "$LOG" >&2
    rm -f "$LOG"
    exit 1
  fi
  rm -f "$LOG"
  echo "$WANT" > "$STAMP"
fi
