#!/usr/bin/env bash
# Install everything the tests need (Python packages into the project virtualenv .venv, Debian's
# chromium, fonts, postgresql and nginx when missing), check lint and format, and run every test.
# Usage: bash scripts/test.sh [pytest args...]
# CI runs it in a fresh clone, so in a fresh .venv: a dependency missing from the pins fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements-test.txt
# Debian's chromium for the browser tests, and CJK fonts so the Korean UI renders in screenshots
# (grep reads all of fc-list: with -q it would stop early, fc-list would die of SIGPIPE and, under
# pipefail, the fonts would be reinstalled on every run)
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null; then
  echo "installing Debian's chromium and fonts-noto-cjk for the browser tests..."
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${TEST_DATABASE_URL:-}" ]; then
  # The storage tests start a private PostgreSQL server (tests/support/postgres.py).
  echo "installing Debian's postgresql for the storage tests..."
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  # tests/deploy runs docs/deploying.md: nginx in front of two app servers (tests/support/stack.py)
  echo "installing Debian's nginx for the deployment test..."
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx openssl >/dev/null
fi
if [ $# -eq 0 ]; then
  # style holds only if it is checked: the whole tree, no rule silenced (pyproject.toml)
  ruff check .
  ruff format --check .
  set -- tests
fi
exec python -m pytest -q -p no:cacheprovider "$@"
