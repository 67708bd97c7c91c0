#!/usr/bin/env bash
# Frees the storage of images removed from a Distribution registry. Deleting a manifest (what the builder's garbage
# collector and a function's delete do) only unlinks it; its layers stay on disk until the registry's own
# garbage-collect sweeps the blobs no manifest references. That must not run while the registry accepts pushes (a
# layer uploaded during the sweep could be deleted under the push), so the registry is stopped for it and started again:
# pulls and pushes fail for those seconds (a cold start needing a pull, or a deploy, retried after it works).
#   scripts/registry-gc.sh             the local registry scripts/setup.sh started (127.0.0.1:5000, $STATE/registry.yml)
#   scripts/registry-gc.sh --systemd   the fleet's registry, epsilon-registry.service (/etc/epsilon/registry.yml); what
#                                      epsilon-registry-gc.timer runs
#   add --dry-run to only print what would be deleted (the registry keeps running)
# Amazon ECR needs none of this: ECR frees what BatchDeleteImage removes, and its lifecycle policy (infra/terraform) expires the rest.
set -euo pipefail

STATE="${EPSILON_STATE_DIR:-/var/lib/epsilon}"
log() { printf '\033[1m[registry-gc]\033[0m %s\n' "$*" >&2; }

mode=local
dry_run=()
for arg in "$@"; do
  case "$arg" in
    --systemd) mode=systemd ;;
    --dry-run) dry_run=(--dry-run) ;;
    *) echo "usage: registry-gc.sh [--systemd] [--dry-run]" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ "$mode" = systemd ]; then
  config=/etc/epsilon/registry.yml
  # The service's own user owns the storage; the sweep runs as it, so nothing it writes becomes root's.
  collect() { $SUDO runuser -u docker-registry -- docker-registry garbage-collect --delete-untagged "${dry_run[@]}" "$config"; }
  if [ ${#dry_run[@]} -gt 0 ]; then collect; exit 0; fi
  log "stopping epsilon-registry.service for the sweep"
  $SUDO systemctl stop epsilon-registry.service
  # Started again however the sweep ends: a registry left stopped stops every deploy and cold start of the fleet.
  trap '$SUDO systemctl start epsilon-registry.service; log "epsilon-registry.service started again"' EXIT
  collect
  exit 0
fi

config="$STATE/registry.yml"
[ -f "$config" ] || { log "$config is missing: start the registry with scripts/setup.sh"; exit 1; }
collect() { $SUDO docker-registry garbage-collect --delete-untagged "${dry_run[@]}" "$config"; }
if [ ${#dry_run[@]} -gt 0 ]; then collect; exit 0; fi

# The process setup.sh started: the exact command line it runs, so a registry serving another config is left alone.
pid="$(pgrep -xf "docker-registry serve $config" | head -1 || true)"
if [ -n "$pid" ]; then
  log "stopping the registry (pid $pid) for the sweep"
  $SUDO kill "$pid"
  for _ in $(seq 1 40); do $SUDO kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  ! $SUDO kill -0 "$pid" 2>/dev/null || { log "the registry (pid $pid) did not stop"; exit 1; }
fi

start_registry() {
  $SUDO bash -c "nohup docker-registry serve '$config' >>'$STATE/registry.log' 2>&1 &"
  for _ in $(seq 1 40); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.25; done
  if curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then log "registry is up again"; else log "registry did not come up; see $STATE/registry.log"; fi
}
[ -n "$pid" ] && trap start_registry EXIT
collect
