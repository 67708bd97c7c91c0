#!/usr/bin/env bash
# Compares two builds of Epsilon (e.g. before and after a change) on the bench's cold-start and kept-pool sections in
# one run: NEW_DIR's bench starts NEW_DIR's gateway and, beside it on the same store, OLD_DIR's
# (EPSILON_BENCH_BASELINE), and calls the two in turns, sample by sample, so both builds see the same load.
# Arguments: OLD_DIR NEW_DIR [samples, default 9] [runs, default 1].
# Each directory is a checkout built with `dotnet build Epsilon.sln -c Release`; NEW_DIR's bench must know
# EPSILON_BENCH_BASELINE (OLD_DIR's need not). Prints one JSON object on stdout: per build the medians over all
# samples, and the new/old ratios.
# The bench starts containers and pushes to the shared registry: on a shared machine wrap it in
# `flock /tmp/epsilon-e2e.lock`, as the end-to-end tests are.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OLD_DIR NEW_DIR [samples] [runs]" >&2
  exit 2
fi
OLD="$(cd "$1" && pwd)"
NEW="$(cd "$2" && pwd)"
SAMPLES="${3:-9}"
RUNS="${4:-1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mktemp -d -t epsilon-compare-XXXXXX)"
# Run under flock, a build server started by set-up's build would inherit the lock's descriptor and hold the lock for
# everyone until it idles out: build without them.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false

"$ROOT/scripts/setup.sh" >&2
for run in $(seq 1 "$RUNS"); do
  echo "run $run/$RUNS: $NEW against $OLD" >&2
  # Twice as many functions as samples: each gateway gets its own cold ones.
  # The bench exits 1 when a target is missed; its JSON is still the measurement.
  EPSILON_BENCH_BASELINE="$OLD" dotnet run -c Release --no-build --project "$NEW/bench/Epsilon.Bench" -- \
    "$SAMPLES" 10s $((2 * SAMPLES)) cold,pool > "$OUT/run-$run.json" || [ -s "$OUT/run-$run.json" ]
done

python3 - "$OUT" "$RUNS" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
median = statistics.median
figures = {
    "coldStartMs": ("coldStart", "gatewayMs", "baselineGatewayMs"),
    "pausedFirstCallMs": ("keptPool", "pausedFirstCallMs", "baselinePausedFirstCallMs"),
}
result = {"runs": runs, "output": out}
for name, (section, new_key, old_key) in figures.items():
    old, new = [], []
    for number in range(1, runs + 1):
        with open(f"{out}/run-{number}.json") as f:
            run = json.load(f).get(section, {})
        old += run.get(old_key, [])
        new += run.get(new_key, [])
    if old and new:
        result[name] = {
            "oldMedian": round(median(old), 1),
            "newMedian": round(median(new), 1),
            "ratio": round(median(new) / median(old), 3),
            "samples": [len(old), len(new)],
        }
print(json.dumps(result, indent=2))
PY
