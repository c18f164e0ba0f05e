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

# expect_failure <case> <exact report>: the check must exit 1 and print exactly the report.
expect_failure() {
  local case="$1" expected="$2" output status
  set +e
  output=$("$check" "$tree" 2>/dev/null)
  status=$?
  set -e
  [ "$status" -eq 1 ] || fail "$case exited $status, expected 1"
  [ "$output" = "$expected" ] || fail "unexpected report for $case: $output"
}

mkdir -p "$tree/host/common" "$tree/host/config" "$tree/host/pipeline" "$tree/host/sinks" "$tree/host/app"
printf '#pragma once\n#include "common/clock.hpp"\n' >"$tree/host/config/loader.hpp"
printf '#pragma once\n#include "sinks/sink.hpp"\n#include "config/loader.hpp"\n' >"$tree/host/pipeline/queue.hpp"
printf '#pragma once\n#include "pipeline/queue.hpp"\n' >"$tree/host/sinks/sink.hpp"
printf '#include "app/main.hpp"\n#include "pipeline/queue.hpp"\n' >"$tree/host/app/main.cpp"
"$check" "$tree" >/dev/null || fail "downward and same-level includes were reported"

printf '#pragma once\n\n#include "app/main.hpp"\n' >"$tree/host/common/clock.hpp"
expect_failure "an upward include" "host/common/clock.hpp:3: common includes app/..., a higher layer"

rm "$tree/host/common/clock.hpp"
mkdir -p "$tree/host/extras"
expect_failure "an unplaced folder" "host/extras/: folder has no layer in scripts/check-include-layers.sh"
echo "include layer check: passes clean trees, fails upward includes and unplaced folders"
