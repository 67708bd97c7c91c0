#!/usr/bin/env bash
# Runs the benchmark: set-up, wrk and haproxy if absent, a throwaway PostgreSQL cluster (the fleet section's store),
# then bench/Epsilon.Bench.
# Arguments: [cold samples] [wrk duration] [functions] [sections, e.g. warm,cold,fleet; default all].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" >&2  # stdout is the JSON alone
for tool in wrk haproxy; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }
done
EPSILON_BENCH_POSTGRES="$("$ROOT/scripts/postgres.sh")"
export EPSILON_BENCH_POSTGRES
dotnet run -c Release --no-build --project "$ROOT/bench/Epsilon.Bench" -- "${1:-9}" "${2:-10s}" "${3:-100}" "${4:-all}"
