#!/usr/bin/env bash
# Install what the app needs into the project virtualenv (.venv) and start it (gunicorn, gevent
# worker, as the Procfile does; SQLite, no other service).
# Usage: bash scripts/serve.sh [--port 8000] [--host 127.0.0.1] [--local]
#   --local: on your own machine, let sockets be exposed to your own programs (ALLOW_EXPOSE=1)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements.txt
exec python -m app serve "$@"
