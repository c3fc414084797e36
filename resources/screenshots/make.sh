#!/usr/bin/env bash
# Redraws the wizard's screenshots (offscreen) from the GUI tests, into this folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
RELAY_SETUP_SCREENSHOTS="$PWD/resources/screenshots" exec bash tests/run.sh tests/gui -q "$@"
