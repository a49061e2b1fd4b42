#!/usr/bin/env bash
# Install Passerelle in .venv and start the bot (SQLite by default: data/passerelle.db).
source "$(dirname "$0")/_venv.sh"
[ -f .env ] || { cp .env.example .env; echo "→ .env créé depuis .env.example : mettez-y DISCORD_TOKEN / created .env: set DISCORD_TOKEN in it." >&2; }
exec .venv/bin/python -m bot run "$@"
