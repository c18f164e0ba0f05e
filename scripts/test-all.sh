#!/usr/bin/env bash
# Quick start, second command: install dependencies, build, and run the whole test suite
# (unit and integration tests, the latter against real PostgreSQL, Prometheus and Chromium
# that the tests start on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ -f tests/deploy/package-lock.json ] && [ ! -d tests/deploy/node_modules ]; then
  npm ci --prefix tests/deploy --no-audit --no-fund
fi
scripts/build.sh
cd build
../scripts/ctest-no-skips.sh --output-on-failure --timeout 900 --parallel 2 "$@"
