#!/usr/bin/env bash
# Compares two builds of Epsilon (e.g. before and after a change) on the bench's cold-start and kept-pool sections,
# alternating runs of each in one session so that both see the same machine.
# Arguments: OLD_DIR NEW_DIR [rounds, default 9] [samples per run, default 1] [sections, default cold,pool].
# Each directory is a checkout built with `dotnet build Epsilon.sln -c Release`; every round runs the bench of both,
# the order flipping each round, and each run gives `samples` calls per figure (9 x 1 = 9 samples per build): the
# finer the alternation, the less a change in the machine's load between runs weighs on one side.
# Prints one JSON object on stdout: per build the medians over all samples, and the new/old ratios.
# The bench starts containers and pushes to the shared registry: on a shared machine wrap it in
# `flock /tmp/epsilon-e2e.lock`, as the end-to-end tests are.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OLD_DIR NEW_DIR [rounds] [samples per run] [sections]" >&2
  exit 2
fi
OLD="$(cd "$1" && pwd)"
NEW="$(cd "$2" && pwd)"
ROUNDS="${3:-9}"
SAMPLES="${4:-1}"
SECTIONS="${5:-cold,pool}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mktemp -d -t epsilon-compare-XXXXXX)"

"$ROOT/scripts/setup.sh" >&2
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
  for side in $order; do
    if [ "$side" = old ]; then dir="$OLD"; else dir="$NEW"; fi
    echo "round $round/$ROUNDS: $side ($dir)" >&2
    # As many functions as samples: the sections need no more, and the deploy before them stays short.
    # The bench exits 1 when a target is missed; its JSON is still the measurement.
    dotnet run -c Release --no-build --project "$dir/bench/Epsilon.Bench" -- "$SAMPLES" 10s "$SAMPLES" "$SECTIONS" \
      > "$OUT/$side-$round.json" || [ -s "$OUT/$side-$round.json" ]
  done
done

python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
median = statistics.median
figures = {
    "coldStartMs": ("coldStart", "gatewayMs"),
    "bareDockerRunMs": ("coldStart", "bareMs"),
    "pausedFirstCallMs": ("keptPool", "pausedFirstCallMs"),
    "createdAheadFirstCallMs": ("keptPool", "createdAheadFirstCallMs"),
}
samples = {side: {name: [] for name in figures} for side in ("old", "new")}
for side in samples:
    for number in range(1, rounds + 1):
        with open(f"{out}/{side}-{number}.json") as f:
            run = json.load(f)
        for name, (section, key) in figures.items():
            samples[side][name] += run.get(section, {}).get(key, [])
result = {"rounds": rounds, "runs": out}
for name in figures:
    old, new = samples["old"][name], samples["new"][name]
    if old and new:
        result[name] = {
            "oldMedian": round(median(old), 1),
            "newMedian": round(median(new), 1),
            "ratio": round(median(new) / median(old), 3),
            "samples": [len(old), len(new)],
        }
print(json.dumps(result, indent=2))
PY
