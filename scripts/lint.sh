#!/usr/bin/env bash
# Checks project code against the repository's .clang-format and .clang-tidy:
#
#   scripts/lint.sh format        every C/C++ file formatted as .clang-format says (seconds)
#   scripts/lint.sh tidy [dir]    clang-tidy on every project translation unit, using the
#                                 compile commands of a configured build (default: build/)
#   scripts/lint.sh paths         no tracked file refers to a path outside the repository
#                                 (scripts/check-self-contained.sh)
#   scripts/lint.sh layers        every #include between host/ folders points to the same
#                                 layer or a lower one (scripts/check-include-layers.sh)
#   scripts/lint.sh               all four
#
# Any finding fails (exit 1). `scripts/lint.sh fix-format` rewrites the files in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# Project C/C++ sources and headers: tracked files when this is a git checkout, else a walk
# of the project folders (never build trees or node_modules).
project_sources() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -- '*.c' '*.h' '*.cpp' '*.hpp'
  else
    find host plugin-api plugins tests bench examples -name node_modules -prune -o \
      -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \) -print
  fi
}

check_format() {
  local files
  mapfile -t files < <(project_sources)
  echo "clang-format: ${#files[@]} files"
  clang-format --dry-run --Werror "${files[@]}"
}

check_tidy() {
  local build_dir="${1:-build}"
  if [ ! -f "$build_dir/compile_commands.json" ]; then
    echo "no $build_dir/compile_commands.json: configure a build first (scripts/build.sh)" >&2
    exit 2
  fi
  # Translation units under the project folders; generated and third-party code is not ours.
  run-clang-tidy -p "$build_dir" -j "$(nproc)" -quiet \
    "^$(pwd)/(host|plugin-api|plugins|tests|bench|examples)/"
}

case "${1:-all}" in
  format) check_format ;;
  fix-format) project_sources | xargs clang-format -i ;;
  tidy) check_tidy "${2:-build}" ;;
  paths) scripts/check-self-contained.sh ;;
  layers) scripts/check-include-layers.sh ;;
  all)
    check_format
    scripts/check-self-contained.sh
    scripts/check-include-layers.sh
    check_tidy build
    ;;
  *)
    echo "unknown mode: $1 (use format, fix-format, tidy, paths, layers or nothing for all)" >&2
    exit 2
    ;;
esac
