# Sourced by test.sh: what the browser tests of the agenda page need, installed once.
# Playwright drives Debian's Chromium (tests/e2e/browser.py): never a browser download.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x /usr/bin/chromium ]; then
  echo "→ Installation de Chromium (Debian) pour les tests du navigateur / installing Debian's chromium…" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo -n"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; } \
    || echo "Chromium n'a pas pu être installé : les tests du navigateur échoueront / chromium could not be installed: the browser tests will fail" >&2
fi
# axe-core (npm) for the accessibility run of the agenda page, into .cache/node (ignored by git).
if [ ! -f .cache/node/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    npm install --prefix .cache/node 'axe-core@^4.10' --no-audit --no-fund --loglevel=error \
      || echo "axe-core n'a pas pu être installé : l'analyse d'accessibilité sera sautée / axe-core could not be installed: the accessibility run will be skipped" >&2
  else
    echo "npm manque : l'analyse d'accessibilité de la page sera sautée / npm is missing: the accessibility run will be skipped" >&2
  fi
fi
