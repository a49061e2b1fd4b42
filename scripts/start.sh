#!/usr/bin/env bash
# Install Passerelle in .venv (only when something changed) and start the bot (SQLite by default:
# data/passerelle.db).
source "$(dirname "$0")/_venv.sh"
if [ ! -f .env ]; then
  cp .env.example .env
  echo "→ .env créé depuis .env.example / created .env from .env.example" >&2
fi
exec .venv/bin/python -m bot run "$@"
