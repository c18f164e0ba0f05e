#!/usr/bin/env bash
# Proves scripts/check-include-layers.sh can fail: on a temporary host/ tree it must pass
# when includes point down or sideways within a level, and fail, naming file, line and both
# folders, on an upward include and on a folder the layer list does not place.
set -euo pipefail
check="$(cd "$(dirname "$0")/../.." && pwd)/scripts/check-include-layers.sh"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

mkdir -p "$tree/host/common" "$tree/host/config" "$tree/host/pipeline" "$tree/host/sinks" "$tree/host/app"
printf '#pragma once\n#include "common/clock.hpp"\n' >"$tree/host/config/loader.hpp"
printf '#pragma once\n#include "sinks/sink.hpp"\n#include "config/loader.hpp"\n' >"$tree/host/pipeline/queue.hpp"
printf '#pragma once\n#include "pipeline/queue.hpp"\n' >"$tree/host/sinks/sink.hpp"
printf '#include "app/main.hpp"\n#include "pipeline/queue.hpp"\n' >"$tree/host/app/main.cpp"
"$check" "$tree" >/dev/null || fail "downward and same-level includes were reported"

printf '#pragma once\n\n#include "app/main.hpp"\n' >"$tree/host/common/clock.hpp"
set +e
output=$("$check" "$tree" 2>/dev/null)
status=$?
set -e
[ "$status" -eq 1 ] || fail "an upward include exited $status, expected 1"
[ "$output" = "host/common/clock.hpp:3: common includes app/..., a higher layer" ] ||
  fail "unexpected report for an upward include: $output"

rm "$tree/host/common/clock.hpp"
mkdir -p "$tree/host/extras"
set +e
output=$("$check" "$tree" 2>/dev/null)
status=$?
set -e
[ "$status" -eq 1 ] || fail "an unplaced folder exited $status, expected 1"
[ "$output" = "host/extras/: folder has no layer in scripts/check-include-layers.sh" ] ||
  fail "unexpected report for an unplaced folder: $output"
echo "include layer check: passes clean trees, fails upward includes and unplaced folders"
