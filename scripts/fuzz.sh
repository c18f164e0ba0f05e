#!/usr/bin/env bash
# Builds the libFuzzer targets (Clang, ASan + UBSan) into build-fuzz/ and runs each for a
# bounded time from its committed seed corpus (tests/fuzz/corpus/<target>/).
#
#   scripts/fuzz.sh                  every target, 45 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh http_request    one target, longer
#   FUZZ_SEED=1 scripts/fuzz.sh      a fixed libFuzzer seed (CI: the same mutations every run,
#                                    so a failure reproduces); default: a random seed
#
# New interesting inputs go to build-fuzz/fuzz-corpus/<target>/ (the committed corpus is
# read, never written). A crash stops the run with the failing input saved as
# build-fuzz/fuzz-artifacts/<target>/crash-*: fix the bug, copy the input into
# tests/fuzz/corpus/<target>/ (the normal suite replays it: ctest -L fuzz) and commit both.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-45}"
seed="${FUZZ_SEED:-0}"  # 0: libFuzzer picks one
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(config_loader tws_codec http_request status_json wire_batch)
fi

if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DMDP_BUILD_FUZZERS=ON -DMDP_TEST_AREAS=fuzz -DMDP_BUILD_BENCH=OFF -DMDP_WERROR=OFF
fi
executables=()
for target in "${targets[@]}"; do
  executables+=("mdp_fuzz_${target}")
done
cmake --build build-fuzz --parallel "$(nproc)" --target "${executables[@]}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for target in "${targets[@]}"; do
  work_corpus="build-fuzz/fuzz-corpus/${target}"
  artifacts="build-fuzz/fuzz-artifacts/${target}"
  rm -rf "$artifacts"
  mkdir -p "$work_corpus" "$artifacts"
  log="build-fuzz/fuzz-${target}.log"
  echo "fuzz: ${target} for ${seconds} s (log: ${log})"
  # -max_len bounds one input (requests and configs are small); -rss_limit_mb catches
  # unbounded memory growth; -timeout flags an input that hangs.
  if ! "build-fuzz/fuzz/mdp_fuzz_${target}" "$work_corpus" "tests/fuzz/corpus/${target}" \
      -max_total_time="$seconds" -seed="$seed" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="${artifacts}/" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: ${target} failed; the input is in ${artifacts}/" >&2
    exit 1
  fi
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
done
echo "fuzz: no failures"
