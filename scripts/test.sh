#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium) and run every test.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
exec python3 -m pytest -q -p no:cacheprovider "$@" tests
