#!/usr/bin/env bash
# Install what the app needs and start it (gunicorn, gevent worker, as the Procfile does).
# Usage: bash scripts/serve.sh [--port 8000] [--host 127.0.0.1]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec python3 -m app serve "$@"
