#!/usr/bin/env bash
# Brings Epsilon up on this machine and deploys examples/hello-node: set-up (idempotent), then the gateway on
# 127.0.0.1:8080 and the builder on 127.0.0.1:8090 in the background, then a deploy, then the URL to curl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${EPSILON_STATE_DIR:-/var/lib/epsilon}"
GATEWAY_URL="http://127.0.0.1:8080"
BUILDER_URL="http://127.0.0.1:8090"
log() { printf '\033[1m[up]\033[0m %s\n' "$*" >&2; }

"$ROOT/scripts/setup.sh"

export Epsilon__Store__Path="$STATE/epsilon.db"
export Epsilon__Builder__GatewayUrl="$GATEWAY_URL"
# Both services encrypt and decrypt functions' secrets with the key setup.sh made.
export Epsilon__Secrets__KeyFile="$STATE/secrets.key"
# The bundled example is deployed from a local folder, which a builder refuses unless told otherwise.
export Epsilon__Builder__AllowLocalRepositories=true

start() { # name dll url
  local name="$1" dll="$2" url="$3" pidfile="$STATE/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "restarting $name"
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.2; done
  fi
  nohup dotnet "$dll" --urls "$url" >"$STATE/$name.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do curl -fsS "$url/_epsilon/health" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "$url/_epsilon/health" >/dev/null || { log "$name did not start; see $STATE/$name.log"; tail -20 "$STATE/$name.log" >&2; exit 1; }
  log "$name is up on $url (log: $STATE/$name.log)"
}
start gateway "$ROOT/gateway/Epsilon.Gateway/bin/Release/net10.0/Epsilon.Gateway.dll" "$GATEWAY_URL"

# The builder's admin token: made once, kept in the state folder (mode 0600, like the store beside it) and handed to the
# builder as its bootstrap token, so every run of this script uses the same token instead of minting another.
TOKEN_FILE="$STATE/admin-token"
if [ ! -s "$TOKEN_FILE" ]; then
  (umask 077; printf 'eps_%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >"$TOKEN_FILE")
  log "made an admin token in $TOKEN_FILE (mode 0600)"
fi
chmod 600 "$TOKEN_FILE"
ADMIN_TOKEN="$(cat "$TOKEN_FILE")"
export Epsilon__Builder__Auth__BootstrapToken="$ADMIN_TOKEN"
start builder "$ROOT/builder/Epsilon.Builder/bin/Release/net10.0/Epsilon.Builder.dll" "$BUILDER_URL"

# The example lives in this repository; a deploy takes a Git repository, so give it one of its own.
example="$STATE/examples/hello-node"
mkdir -p "$example"
cp -r "$ROOT/examples/hello-node/." "$example/"
git -C "$example" init -q -b main 2>/dev/null || true
git -C "$example" add -A
git -C "$example" -c user.name=epsilon -c user.email=epsilon@localhost commit -q -m "hello-node" >/dev/null 2>&1 || true

log "deploying $example"
response="$(curl -sS -X POST "$BUILDER_URL/deployments" -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $ADMIN_TOKEN" \
  -d "{\"repository\": \"$example\"}" -w '\n%{http_code}')"
status="${response##*$'\n'}"
body="${response%$'\n'*}"
echo "$body"
if [ "$status" != "201" ]; then
  log "deploy failed with HTTP $status"
  exit 1
fi
# The CLI (setup.sh put it on the PATH) saves this builder for its other verbs.
epsilon login --url "$BUILDER_URL" --token "$ADMIN_TOKEN" \
  || log "warning: 'epsilon login' failed; pass --url $BUILDER_URL --token \"\$(cat $TOKEN_FILE)\" to the CLI"
log "deployed. Try:"
echo "  curl '$GATEWAY_URL/hello/?name=Epsilon'"
echo "  curl -H \"Authorization: Bearer \$(cat $TOKEN_FILE)\" $BUILDER_URL/functions"
echo "  epsilon ls; epsilon invoke hello --path '?name=Epsilon'"
