#!/usr/bin/env bash
# Builds the previous release's gateway, for the rolling-upgrade test (gateways of the previous and this release side by
# side on one store), and prints the path of its Epsilon.Gateway.dll. Built once per commit into
# ${EPSILON_STATE_DIR:-/var/lib/epsilon}/previous-release/<commit>/, so a second run takes milliseconds.
# Needs the commit in this clone's history: a shallow clone fails here, it never skips the test.
set -euo pipefail

# The last landed release. Bump it when a release lands: the upgrade test then runs from that release to this tree.
PREVIOUS_RELEASE="032cba2faf376cc4fe3955add131e4e2052a5b00"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${EPSILON_STATE_DIR:-/var/lib/epsilon}/previous-release"
OUT="$CACHE/$PREVIOUS_RELEASE"
log() { printf '\033[1m[previous-release]\033[0m %s\n' "$*" >&2; }

if [ "${1:-}" = "commit" ]; then echo "$PREVIOUS_RELEASE"; exit 0; fi

if [ ! -f "$OUT/Epsilon.Gateway.dll" ]; then
  if ! git -C "$ROOT" cat-file -e "$PREVIOUS_RELEASE^{commit}" 2>/dev/null; then
    log "the previous release, commit $PREVIOUS_RELEASE, is not in this clone's history (a shallow clone?)."
    log "fetch it, e.g. 'git fetch --unshallow' or 'git fetch origin $PREVIOUS_RELEASE', and run again."
    exit 1
  fi
  mkdir -p "$CACHE"
  # Two runs at once build it once: the second waits, then finds it built.
  exec 9>"$CACHE/.lock"
  flock 9
  if [ ! -f "$OUT/Epsilon.Gateway.dll" ]; then
    work="$(mktemp -d "$CACHE/build.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    log "building the gateway of $PREVIOUS_RELEASE"
    mkdir -p "$work/src"
    git -C "$ROOT" archive "$PREVIOUS_RELEASE" | tar -x -C "$work/src"
    dotnet build "$work/src/gateway/Epsilon.Gateway/Epsilon.Gateway.csproj" -c Release -p:UseSharedCompilation=false \
      -o "$work/out" -nologo -v q -clp:NoSummary >&2
    rm -rf "$OUT"
    # Moved into place whole, so a dll found there is always a finished build.
    mv "$work/out" "$OUT"
  fi
fi
echo "$OUT/Epsilon.Gateway.dll"
