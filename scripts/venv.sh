# Sourced by serve.sh and test.sh: make sure the project virtualenv (.venv) exists and holds the
# pinned packages of the requirements file given as $1, then put it first on PATH.
#
# A virtualenv, never the system's Python: Debian's and Ubuntu's own python3 refuse `pip install`
# outside one (PEP 668), and elsewhere the app's pins would be mixed into the user's Python.
# VENV overrides the location (CI points it at a fresh directory).
VENV="${VENV:-.venv}"
_req="$1"

_sudo() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    # Debian/Ubuntu ship venv's pip bootstrap as a separate package
    echo "installing Debian's python3-venv (python3 has no ensurepip)..."
    _sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _sudo apt-get install -y -qq python3-venv >/dev/null
  fi
  echo "creating the virtualenv $VENV ..."
  python3 -m venv "$VENV"
fi

# pip is quick when everything is already installed; a stamp skips it when the pins did not change
_stamp="$VENV/.installed-$(basename "$_req")"
_want="$(cat requirements*.txt | sha256sum | cut -c1-16)"
if [ "$(cat "$_stamp" 2>/dev/null)" != "$_want" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$_req"
  echo "$_want" > "$_stamp"
fi
VIRTUAL_ENV="$(cd "$VENV" && pwd)"
export VIRTUAL_ENV
export PATH="$VIRTUAL_ENV/bin:$PATH"
