#!/usr/bin/env bash
# Installs what building, running and testing mdp needs on Debian 12, as root. Incremental:
# packages already installed are not touched, and apt's lists are refreshed only when
# something is missing.
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ pkg-config
  libboost1.81-all-dev nlohmann-json3-dev libspdlog-dev catch2 libbenchmark-dev
  libsqlite3-dev sqlite3 libpq-dev libssl-dev libnats-dev
  # trading-hours calendars: time zones from the system tz database (tzdata)
  libhowardhinnant-date-dev tzdata
  # tests and benchmarks: real services and tools, started on loopback by the tests
  postgresql postgresql-client prometheus chromium wrk systemd nats-server
  # fuzzing (scripts/fuzz.sh): Clang with libFuzzer and the sanitizer runtimes;
  # scripts/lint.sh: clang-format and clang-tidy with the repository's configs
  clang libclang-rt-14-dev clang-format clang-tidy
  # docs/performance.md: instruction counts (callgrind) and profiles (perf)
  valgrind linux-perf
)
# Node.js (manifest validation tests): use the machine's own when it has one (it may come
# with npm bundled, which Debian's separate npm package would conflict with).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
