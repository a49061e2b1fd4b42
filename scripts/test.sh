#!/usr/bin/env bash
# Install Passerelle with its test tools in .venv (and, once, Debian's Chromium and axe-core for
# the agenda page's browser tests), then run the whole test suite.
# (pytest exits 5 when no test ran: that fails here too, as it should.)
EXTRAS="[test]" source "$(dirname "$0")/_venv.sh"
source scripts/_browser.sh
exec .venv/bin/python -m pytest "$@"
