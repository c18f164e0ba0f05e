#!/usr/bin/env bash
# Fails when a tracked file refers to a path outside the repository: a clone has nothing
# beside it, so no test, script, build file or CI step may read a sibling folder or a
# machine's absolute paths. Three checks over every tracked text file:
#   1. known outside names: the sibling folder of development material and the variable
#      that once pointed at it (spelled in pieces below, so this file does not match itself);
#   2. absolute paths of one machine (home directories, a build machine's work tree);
#   3. relative paths that climb above the repository root: a "../" run longer than the
#      file's own depth below the root.
# Vendored upstream files (tests/deploy/schemas/), fuzz corpora and lock files are not ours
# to change and are skipped. Exit 1 with one line per finding; 0 when clean.
set -euo pipefail
cd "$(dirname "$0")/.."

# grep -n[o]E <pattern> over the tracked text files, as "file:line:text".
search() {
  local flags="$1" pattern="$2"
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git grep -I "$flags" -E "$pattern" -- . ':!*package-lock.json' ':!tests/deploy/schemas/' \
      ':!tests/fuzz/corpus/' ':!scripts/check-self-contained.sh' || true
  else
    grep -rI "$flags" -E "$pattern" --exclude-dir=build --exclude-dir=node_modules --exclude-dir=.git \
      --exclude-dir=schemas --exclude-dir=corpus --exclude=package-lock.json \
      --exclude=check-self-contained.sh . | sed 's|^\./||' || true
  fi
}

sibling="shar""ed"
findings=$(
  search -n "\\.\\./${sibling}\\b|MDP_${sibling^^}_DIR" | awk -F: '{ print $1 ":" $2 ": names a folder outside the repository" }'
  search -n '(^|[^A-Za-z0-9_.])/(work|home|Users)/[A-Za-z0-9_.-]+' |
    awk -F: '{ print $1 ":" $2 ": absolute path of one machine" }'
  search -no '(\.\./)+(\.\.)?' | awk -F: '{
    depth = gsub("/", "/", $1); ups = gsub(/\.\./, "..", $3)
    if (ups > depth) print $1 ":" $2 ": \"" $3 "\" climbs " ups " levels from a file " depth " below the repository root"
  }'
)

if [ -n "$findings" ]; then
  echo "$findings"
  echo "$(wc -l <<<"$findings") reference(s) outside the repository" >&2
  exit 1
fi
echo "self-contained: no tracked file refers to a path outside the repository"
