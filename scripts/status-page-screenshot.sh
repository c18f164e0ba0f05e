#!/usr/bin/env bash
# Refreshes the status page screenshot (docs/status-page.png): runs mdp-host with the default
# config (config/mdp.json: synthetic provider -> SQLite) in a temp dir, on a free loopback
# port, lets it collect some history for the charts, and takes a screenshot of the page with
# headless Chromium. Builds first when mdp-host is missing.
#
#   scripts/status-page-screenshot.sh [SECONDS_TO_COLLECT (default 120)] [OUTPUT_PNG]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-120}"
output="$(realpath -m "${2:-docs/status-page.png}")"
[ -x build/bin/mdp-host ] || scripts/build.sh

work="$(mktemp -d)"
host_pid=""
cleanup() {
  if [ -n "$host_pid" ]; then
    kill "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The default config unchanged: its relative paths (../build/plugins, ../build/data) resolve
# inside the temp dir, whose build/plugins is this tree's.
mkdir -p "$work/config" "$work/build"
cp config/mdp.json "$work/config/mdp.json"
ln -s "$PWD/build/plugins" "$work/build/plugins"
MDP_HTTP_PORT=0 MDP_HTTP_BIND_ADDRESS=127.0.0.1 \
  build/bin/mdp-host --config "$work/config/mdp.json" >"$work/host.log" 2>&1 &
host_pid=$!

# The host logs the port it picked: "http: listening on 127.0.0.1:PORT".
port=""
for _ in $(seq 300); do
  port="$(sed -n 's/.*http: listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$work/host.log" | head -n 1)"
  [ -n "$port" ] && break
  if ! kill -0 "$host_pid" 2>/dev/null; then
    cat "$work/host.log" >&2
    echo "mdp-host exited before it listened" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  cat "$work/host.log" >&2
  echo "mdp-host did not log its port within 30 s" >&2
  exit 1
fi

echo "mdp-host on http://127.0.0.1:$port/; collecting ${seconds} s of history"
sleep "$seconds"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-sync \
  --disable-background-networking --disable-component-update --user-data-dir="$work/profile" \
  --virtual-time-budget=5000 --window-size=1400,1750 --screenshot="$output" "http://127.0.0.1:$port/"
echo "saved $output"
