#!/usr/bin/env bash
# Level transitions of the real mdp-host: the synthetic provider unthrottled into the null
# sink for SECONDS, once with the hysteresis switched off (today's rule: soft_band_pct 0,
# min_dwell_ms 0) and once with the defaults, interleaved ROUNDS times. Prints the
# feedback_events_processed_total counters per level, the transitions per second and the
# events stored per second (mdp_events_stored_total: what the transitions cost).
#   bench/core/backpressure_host_flap.sh BUILD_DIR [SECONDS] [ROUNDS]
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [SECONDS] [ROUNDS]}
seconds=${2:-10}
rounds=${3:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_once() {  # $1 label, $2 backpressure hysteresis keys (JSON fragment)
    local port=$((20000 + RANDOM % 20000))
    cat >"$work/mdp.json" <<JSON
{
  "plugin_path": ["$build/plugins"],
  "http": {"enabled": true, "bind_address": "127.0.0.1", "port": $port},
  "logging": {"level": "warn"},
  "store": {"sinks": [{"type": "null"}]},
  "backpressure": {$2},
  "providers": [{"name": "synthetic", "plugin": "synthetic",
                 "config": {"symbols": ["AAPL", "MSFT", "SPY", "EURUSD"], "rate_per_symbol": 0, "seed": 42}}]
}
JSON
    "$build/bin/mdp-host" --config "$work/mdp.json" >"$work/host.log" 2>&1 &
    local pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
    sleep "$seconds"
    local metrics
    metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
    kill -TERM "$pid"
    wait "$pid" || true
    local ok soft hard stored
    ok=$(awk '/^feedback_events_processed_total\{.*level="ok"/ {print $2}' <<<"$metrics")
    soft=$(awk '/^feedback_events_processed_total\{.*level="soft"/ {print $2}' <<<"$metrics")
    hard=$(awk '/^feedback_events_processed_total\{.*level="hard"/ {print $2}' <<<"$metrics")
    stored=$(awk '/^mdp_events_stored_total\{/ {sum += $2} END {printf "%.0f", sum}' <<<"$metrics")
    printf '%-44s ok %6s  soft %6s  hard %6s  -> %.1f transitions/s, %.2f M events stored/s\n' "$1" "$ok" "$soft" \
        "$hard" "$(echo "($ok + $soft + $hard) / $seconds" | bc -l)" "$(echo "$stored / $seconds / 1000000" | bc -l)"
}

for round in $(seq "$rounds"); do
    run_once "round $round, no hysteresis (before)" '"soft_band_pct": 0, "min_dwell_ms": 0'
    run_once "round $round, defaults (band 5%, dwell 1 s)" '"soft_band_pct": 0.05, "min_dwell_ms": 1000'
done
