#!/usr/bin/env bash
# Redraws the wizard's screenshots (offscreen) from the GUI tests, into this folder, and keeps
# only the pictures README.md shows (the tests snap more states than the README needs).
set -euo pipefail
cd "$(dirname "$0")/../.."
folder="$PWD/resources/screenshots"
RELAY_SETUP_SCREENSHOTS="$folder" bash tests/run.sh tests/gui -q "$@"
for picture in "$folder"/*.png; do
    if ! grep -q "resources/screenshots/$(basename "$picture")" README.md; then
        rm -- "$picture"
    fi
done
