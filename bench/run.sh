#!/usr/bin/env bash
# Runs the benchmark: set-up, wrk if absent, then bench/Epsilon.Bench.
# Arguments: [cold samples] [wrk duration] [functions] [sections, e.g. warm,cold; default all].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" >&2  # stdout is the JSON alone
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
dotnet run -c Release --no-build --project "$ROOT/bench/Epsilon.Bench" -- "${1:-9}" "${2:-10s}" "${3:-100}" "${4:-all}"
