#!/usr/bin/env bash
# Fails when a file in one host/ folder includes a header from a folder above it. The host
# reads bottom-up; this list is the one place the order is written (docs/architecture.md
# points here). Folders on one line form one level and may include each other.
#
#   scripts/check-include-layers.sh [root]    root: the repository (default: this checkout)
#
# Exit 1 with one "file:line: <folder> includes <folder>/..., a higher layer" per finding,
# also when host/ has a folder the list does not place, or a sink type's folder includes
# another's; 0 when every include points down. Subfolders belong to their folder's layer.
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
cd "$root"

# Lowest first. A folder may include its own level and every level below it.
layers=(
  "common"            # no project includes: clocks, text, retries, URLs
  "config"            # the validated configuration
  "metrics"           # histograms, exposition writer, process stats
  "status"            # the snapshot data types every reader of the host's state shares
  "pipeline sinks"    # store queue, coordinator, backpressure; the sinks it drives
  "isolation"         # an isolated provider's runner process: event ring, control channel
  "plugins"           # provider plugins: loading, instances, supervision
  "http"              # the HTTP server and its documents
  "app runner"        # wiring, commands, main; the runner executable of isolated providers
)

declare -A level_of=()
for index in "${!layers[@]}"; do
  for folder in ${layers[$index]}; do level_of[$folder]=$index; done
done

if [ ! -d host ]; then
  echo "no host/ folder under $(pwd)" >&2
  exit 2
fi

findings=""
for dir in host/*/; do
  folder=$(basename "$dir")
  if [ -z "${level_of[$folder]+set}" ]; then
    findings+="host/$folder/: folder has no layer in scripts/check-include-layers.sh"$'\n'
  fi
done

while IFS= read -r hit; do
  file=${hit%%:*}
  rest=${hit#*:}
  line=${rest%%:*}
  from=$(cut -d/ -f2 <<<"$file")
  to=$(sed -E 's/^[^"]*"([^/"]+)\/.*/\1/' <<<"${rest#*:}")
  [ -n "${level_of[$from]+set}" ] && [ -n "${level_of[$to]+set}" ] || continue
  if ((level_of[$to] > level_of[$from])); then
    findings+="$file:$line: $from includes $to/..., a higher layer"$'\n'
  fi
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[A-Za-z0-9_]+/' host \
  --include='*.hpp' --include='*.cpp' --include='*.h' --include='*.in' || true)

# A sink type's folder (host/sinks/<type>/) uses the shared files of sinks/ and its own folder,
# never another type's, so each sink reads, builds and goes away on its own.
while IFS= read -r hit; do
  file=${hit%%:*}
  rest=${hit#*:}
  line=${rest%%:*}
  own=$(cut -d/ -f3 <<<"$file")
  to=$(sed -E 's/^[^"]*"sinks\/([^/"]+)\/.*/\1/' <<<"${rest#*:}")
  if [ "$own" != "$to" ]; then
    findings+="$file:$line: sinks/$own includes sinks/$to/..., another sink type's folder"$'\n'
  fi
done < <(find host/sinks -mindepth 2 -type f \( -name '*.hpp' -o -name '*.cpp' \) -print0 |
  xargs -0 -r grep -nHE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"sinks/[A-Za-z0-9_]+/' || true)

if [ -n "$findings" ]; then
  printf '%s' "$findings"
  echo "$(printf '%s' "$findings" | wc -l) include(s) against the layer order" >&2
  exit 1
fi
echo "include layers: every include in host/ points to its own layer or one below"
