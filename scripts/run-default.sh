#!/usr/bin/env bash
# Quick start, first command: install dependencies, build, and run mdp-host on the embedded
# default (synthetic provider -> SQLite; status page on port 8000). Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/bin/mdp-host --config config/mdp.json "$@"
