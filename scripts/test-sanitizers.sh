#!/usr/bin/env bash
# Builds and runs the test suite under the sanitizers:
#
#   scripts/test-sanitizers.sh asan   the whole suite but the lint checks under AddressSanitizer +
#                                     UBSan (build-asan/)
#   scripts/test-sanitizers.sh tsan   the concurrency tests under ThreadSanitizer (build-tsan/):
#                                     store queue, coordinator, backpressure, rate control,
#                                     feedback webhook, the nats provider's ack ledger
#                                     (mdp_core_tests), the HTTP server's
#                                     control completions and routes (mdp_http_unit_tests)
#   scripts/test-sanitizers.sh        both
#
# Extra arguments after the mode go to ctest (e.g. -R store_queue). Any sanitizer report
# fails the test that triggered it (halt_on_error / exitcode).
set -euo pipefail
cd "$(dirname "$0")/.."

modes=("${1:-all}")
shift || true
if [ "${modes[0]}" = "all" ]; then
  modes=(asan tsan)
fi
jobs="$(nproc)"

configure() {  # <dir> <build type>
  if [ ! -f "$1/build.ninja" ]; then
    cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE="$2" -DMDP_BUILD_BENCH=OFF
  fi
}

for mode in "${modes[@]}"; do
  case "$mode" in
    asan)
      configure build-asan Asan
      cmake --build build-asan --parallel "$jobs"
      # Child processes (mdp-host, plugins) inherit these.
      export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0"
      export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
      # Not the lint checks (formatting, include layers, paths): no binary of ours runs in them,
      # and the normal suite ran them already.
      (cd build-asan && ../scripts/ctest-no-skips.sh --output-on-failure --timeout 1800 --parallel 2 -LE '^lint$' "$@")
      ;;
    tsan)
      configure build-tsan Tsan
      cmake --build build-tsan --parallel "$jobs" --target mdp_core_tests mdp_http_unit_tests
      export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
      # Only what was built: tests of executables not built here carry no label.
      (cd build-tsan && ../scripts/ctest-no-skips.sh --output-on-failure --timeout 1800 --parallel 2 -L '^(core|http)$' "$@")
      ;;
    *)
      echo "unknown mode: $mode (use asan, tsan or nothing for both)" >&2
      exit 2
      ;;
  esac
done
