#!/usr/bin/env bash
# Runs the test suite inside a private D-Bus session with a fresh, unlocked gnome-keyring, so the
# keyring tests talk to a real Secret Service and never to the user's own keyring.
# Arguments go to pytest. Exits with pytest's status.
set -uo pipefail
cd "$(dirname "$0")/.."

export QT_QPA_PLATFORM=offscreen
scratch=$(mktemp -d /tmp/relay-setup-tests.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# The project's virtual environment (tests/setup.sh makes it), when there is one.
if [ -x .venv/bin/python ]; then
  export VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH"
fi

if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  exec dbus-run-session -- bash -c '
    # A non-empty password creates and unlocks the login keyring without a prompt.
    printf "relay-setup-tests" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec python3 -m pytest "$@"' pytest "$@"
fi
echo "run: no dbus-run-session / gnome-keyring-daemon: keyring tests will skip" >&2
exec python3 -m pytest "$@"
