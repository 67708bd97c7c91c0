#!/usr/bin/env bash
# docker-compose.yml end to end: brings the stack up with Debian's docker-compose (images built from this repository,
# the layer cache reused between runs), deploys examples/hello-node from a Git repository mounted into the builder,
# calls it through the gateway, and takes the stack down with `down -v`, checking that nothing of it is left: no
# container, network or volume of the compose project, and no function container of its gateway. Its own project name,
# ports, functions network and gateway id keep it clear of a stack a person runs with the defaults. Each check counts;
# ends with one "N passed, N failed" line. Needs scripts/setup.sh's base images and docker-compose.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export COMPOSE_PROJECT_NAME="epsilon-composetest"
export EPSILON_GATEWAY_PORT=18180 EPSILON_BUILDER_PORT=18190 EPSILON_REGISTRY_PORT=15100 EPSILON_POSTGRES_PORT=15433
export EPSILON_GATEWAY_ID="composetest" EPSILON_FUNCTIONS_NETWORK="epsilon-composetest-functions"
export EPSILON_POSTGRES_PASSWORD="composetest-$RANDOM$RANDOM"
EPSILON_ADMIN_TOKEN="eps_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
export EPSILON_ADMIN_TOKEN
WORK="$(mktemp -d)"
export EPSILON_REPOSITORIES="$WORK/repositories"
GATEWAY="http://127.0.0.1:$EPSILON_GATEWAY_PORT"
BUILDER="http://127.0.0.1:$EPSILON_BUILDER_PORT"
compose() { docker-compose -f "$ROOT/docker-compose.yml" --project-directory "$ROOT" "$@"; }
log() { printf '\033[1m[compose]\033[0m %s\n' "$*" >&2; }

passed=0; failed=0
check() { # name, then a command that succeeds when the check passes
  local name="$1"; shift
  if "$@"; then log "PASS $name"; passed=$((passed + 1)); else log "FAIL $name"; failed=$((failed + 1)); fi
}

# Whatever happens, nothing of the project stays: down -v, then anything carrying its labels (a failed run's last word).
cleanup() {
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" | xargs -r docker rm -f >/dev/null 2>&1
  docker ps -aq --filter "label=epsilon.gateway=$EPSILON_GATEWAY_ID" | xargs -r docker rm -f >/dev/null 2>&1
  docker network rm "$EPSILON_FUNCTIONS_NETWORK" >/dev/null 2>&1
  docker volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" | xargs -r docker volume rm >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# The example, made a Git repository of its own (as scripts/up.sh does), in the folder the builder mounts.
example="$EPSILON_REPOSITORIES/hello-node"
mkdir -p "$example" && cp -r "$ROOT/examples/hello-node/." "$example/"
git -C "$example" init -q -b main && git -C "$example" add -A \
  && git -C "$example" -c user.name=epsilon -c user.email=epsilon@localhost commit -q -m hello-node

started=$(date +%s)
up() {
  compose up -d --build >"$WORK/up.log" 2>&1 && return 0
  tail -40 "$WORK/up.log" >&2
  return 1
}
check "docker-compose up -d --build" up
up_at=$(date +%s)

all_healthy() {
  local service id state
  for _ in $(seq 1 90); do
    state=""
    for service in postgres registry builder gateway; do
      id="$(compose ps -q "$service")"
      state="$state $([ -n "$id" ] && docker inspect --format '{{.State.Health.Status}}' "$id" 2>/dev/null)"
    done
    [ "$(echo $state)" = "healthy healthy healthy healthy" ] && return 0
    sleep 1
  done
  log "health:$state"; compose ps >&2; compose logs --tail 30 >&2
  return 1
}
check "every service is healthy" all_healthy
healthy_at=$(date +%s)

loopback_only() {
  local port listening
  for port in "$EPSILON_GATEWAY_PORT" "$EPSILON_BUILDER_PORT" "$EPSILON_REGISTRY_PORT" "$EPSILON_POSTGRES_PORT"; do
    listening="$(ss -Hltn "sport = :$port" | awk '{print $4}')"
    if [ -z "$listening" ] || echo "$listening" | grep -qv '^127\.0\.0\.1:'; then
      log "port $port listens on: ${listening:-nothing}"
      return 1
    fi
  done
}
check "every port listens on 127.0.0.1 only" loopback_only

refused_without_token() {
  local status
  status="$(curl -sS -m 30 -o /dev/null -w '%{http_code}' -X POST "$BUILDER/deployments" -H 'Content-Type: application/json' \
    -d '{"repository": "/repositories/hello-node"}')"
  [ "$status" = 401 ] && return 0
  log "a deploy without a token answered $status"; return 1
}
check "a deploy without a token answers 401" refused_without_token

deploy() {
  local out status
  out="$(curl -sS -m 300 -X POST "$BUILDER/deployments" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $EPSILON_ADMIN_TOKEN" \
    -d '{"repository": "/repositories/hello-node"}' -w '\n%{http_code}')"
  status="${out##*$'\n'}"
  [ "$status" = 201 ] && return 0
  log "deploy answered $status: ${out%$'\n'*}"; compose logs --tail 40 builder >&2
  return 1
}
check "deploy of /repositories/hello-node answers 201" deploy

call() {
  local body
  body="$(curl -sS -m 60 "$GATEWAY/hello/?name=Compose")"
  case "$body" in *'"Hello, Compose!"'*) return 0 ;; esac
  log "the call answered: $body"; compose logs --tail 40 gateway >&2
  return 1
}
check "the function answers through the gateway" call

in_registry() { curl -fsS "http://127.0.0.1:$EPSILON_REGISTRY_PORT/v2/_catalog" | grep -q '"hello"'; }
check "the image was pushed to the compose registry" in_registry

in_postgres() {
  [ "$(compose exec -T postgres psql -U postgres -d epsilon -tAc "select count(*) from functions where name = 'hello'" 2>&1 | tr -d '[:space:]')" = 1 ]
}
check "the function is in the compose PostgreSQL store" in_postgres

function_container() {
  local id
  id="$(docker ps -q --filter "label=epsilon.gateway=$EPSILON_GATEWAY_ID" --filter label=epsilon.function=hello)"
  [ -n "$id" ] && docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' $id | grep -qx "$EPSILON_FUNCTIONS_NETWORK "
}
check "the function container runs on the project's functions network" function_container

down() {
  compose down -v >"$WORK/down.log" 2>&1 && return 0
  cat "$WORK/down.log" >&2
  return 1
}
checked_at=$(date +%s)
check "docker-compose down -v" down
down_at=$(date +%s)

nothing_left() {
  local left
  left="$(docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME")
$(docker ps -aq --filter "label=epsilon.gateway=$EPSILON_GATEWAY_ID")
$(docker network ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME")
$(docker network ls -q --filter "name=^${EPSILON_FUNCTIONS_NETWORK}\$")
$(docker volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME")"
  [ -z "$(echo "$left" | tr -d '[:space:]')" ] && return 0
  log "left behind: $(echo $left)"
  return 1
}
check "nothing of the project is left: containers, function containers, networks, volumes" nothing_left

log "up (build included) $((up_at - started)) s, healthy $((healthy_at - up_at)) s, deploy and checks $((checked_at - healthy_at)) s, down $((down_at - checked_at)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
