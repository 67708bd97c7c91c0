#!/usr/bin/env bash
# Stops the gateway and builder started by scripts/up.sh (the gateway removes its containers as it stops) and removes
# the egress policy set-up installed.
set -euo pipefail
STATE="${EPSILON_STATE_DIR:-/var/lib/epsilon}"
for name in builder gateway; do
  pidfile="$STATE/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 1 100); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.2; done
    echo "stopped $name"
  fi
  rm -f "$pidfile"
done
"$(dirname "$0")/egress.sh" down
