#!/usr/bin/env bash
# Runs every test against real components: set-up first (Docker engine, registry, base images, build, a throwaway
# PostgreSQL cluster, the previous release's gateway), then the wrappers' own tests, the Terraform check,
# docker-compose.yml end to end, then every .NET test project. Ends with one "N passed, N failed" line.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$(mktemp -d)"
log() { printf '\033[1m[test]\033[0m %s\n' "$*" >&2; }

"$ROOT/scripts/setup.sh" || { log "set-up failed"; exit 1; }
# The store's tests run on SQLite and on this throwaway PostgreSQL cluster.
EPSILON_TEST_POSTGRES="$("$ROOT/scripts/postgres.sh")" || { log "postgres set-up failed"; exit 1; }
export EPSILON_TEST_POSTGRES
# The rolling-upgrade test runs the previous release's gateway beside this one: built once per release, then cached.
EPSILON_TEST_PREVIOUS_GATEWAY="$("$ROOT/scripts/previous-release.sh")" || { log "building the previous release failed"; exit 1; }
export EPSILON_TEST_PREVIOUS_GATEWAY
# The fleet tests put Debian's HAProxy in front of their gateways.
command -v haproxy >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; } \
  || { log "haproxy install failed"; exit 1; }
# The TLS registry suite makes its htpasswd file with apache2-utils' htpasswd, as install.sh does on a VM.
command -v htpasswd >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; } \
  || { log "apache2-utils install failed"; exit 1; }
# The private Git host of the builder's tests: Debian's nginx serving git-http-backend through fcgiwrap.
command -v nginx >/dev/null && command -v fcgiwrap >/dev/null \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light fcgiwrap >/dev/null; } \
  || { log "nginx/fcgiwrap install failed"; exit 1; }
# The compose suite brings docker-compose.yml up with Debian's docker-compose (1.29).
command -v docker-compose >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; } \
  || { log "docker-compose install failed"; exit 1; }

passed=0; failed=0

log "wrapper-runtime/node tests"
if (cd "$ROOT/wrapper-runtime/node" && npm ci --no-audit --no-fund --loglevel=error && node --test --test-reporter=spec test/ 2>&1 | tee "$RESULTS/node.txt"); then :; fi
node_pass=$(grep -E '^ℹ pass [0-9]+' "$RESULTS/node.txt" | awk '{print $3}' | tail -1)
node_fail=$(grep -E '^ℹ fail [0-9]+' "$RESULTS/node.txt" | awk '{print $3}' | tail -1)
passed=$((passed + ${node_pass:-0})); failed=$((failed + ${node_fail:-1}))

log "infra/terraform tests"
# No terraform binary or AWS here: the test parses every .tf file and checks it against the AWS provider's schema.
if (cd "$ROOT/infra/terraform/test" && npm ci --no-audit --no-fund --loglevel=error && node --test --test-reporter=spec terraform.test.js 2>&1 | tee "$RESULTS/terraform.txt"); then :; fi
tf_pass=$(grep -E '^ℹ pass [0-9]+' "$RESULTS/terraform.txt" | awk '{print $3}' | tail -1)
tf_fail=$(grep -E '^ℹ fail [0-9]+' "$RESULTS/terraform.txt" | awk '{print $3}' | tail -1)
passed=$((passed + ${tf_pass:-0})); failed=$((failed + ${tf_fail:-1}))

log "wrapper-runtime/go tests"
command -v go >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null; }
if (cd "$ROOT/wrapper-runtime/go/src" && go vet ./... && go test -v ./... 2>&1 | tee "$RESULTS/go.txt"); then :; fi
go_pass=$(grep -cE '^\s*--- PASS' "$RESULTS/go.txt" || true)
go_fail=$(grep -cE '^\s*--- FAIL|^FAIL' "$RESULTS/go.txt" || true)
[ "${go_pass:-0}" -gt 0 ] || go_fail=$((go_fail + 1))
passed=$((passed + go_pass)); failed=$((failed + go_fail))

log "wrapper-runtime/python tests"
python3 -B -m unittest discover -s "$ROOT/wrapper-runtime/python/test" 2>&1 | tee "$RESULTS/python.txt"
py_ran=$(grep -oE '^Ran [0-9]+' "$RESULTS/python.txt" | awk '{print $2}' | tail -1)
py_bad=$(grep -oE '(failures|errors)=[0-9]+' "$RESULTS/python.txt" | cut -d= -f2 | awk '{s += $1} END {print s + 0}')
[ -n "$py_ran" ] || py_bad=$((py_bad + 1))
passed=$((passed + ${py_ran:-0} - py_bad)); failed=$((failed + py_bad))

log "wrapper-runtime/dotnet tests"
bash "$ROOT/wrapper-runtime/dotnet/test/run.sh" 2>&1 | tee "$RESULTS/dotnet-runtime.txt"
dr_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$RESULTS/dotnet-runtime.txt" | tail -1)
if [ -n "$dr_line" ]; then
  passed=$((passed + $(echo "$dr_line" | awk '{print $1}'))); failed=$((failed + $(echo "$dr_line" | awk '{print $3}')))
else
  failed=$((failed + 1))
fi

log "docker-compose tests"
bash "$ROOT/tests/compose/run.sh" 2>&1 | tee "$RESULTS/compose.txt"
compose_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$RESULTS/compose.txt" | tail -1)
if [ -n "$compose_line" ]; then
  passed=$((passed + $(echo "$compose_line" | awk '{print $1}'))); failed=$((failed + $(echo "$compose_line" | awk '{print $3}')))
else
  failed=$((failed + 1))
fi

log ".NET tests"
dotnet test "$ROOT/Epsilon.sln" -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee "$RESULTS/dotnet.txt"
dotnet_status=${PIPESTATUS[0]}
# The console logger closes each test project with "Total tests: N", "Passed: N" and, when any, "Failed: N".
dotnet_pass=$(grep -E '^ +Passed: +[0-9]+$' "$RESULTS/dotnet.txt" | awk '{s += $2} END {print s + 0}')
dotnet_fail=$(grep -E '^ +Failed: +[0-9]+$' "$RESULTS/dotnet.txt" | awk '{s += $2} END {print s + 0}')
passed=$((passed + dotnet_pass)); failed=$((failed + dotnet_fail))
if [ "$dotnet_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

leftovers=$(docker ps -aq --filter label=epsilon.managed=true --filter label=epsilon.gateway | xargs -r docker inspect --format '{{index .Config.Labels "epsilon.gateway"}}' | grep -cE '^(e2e|fleet|upgrade)-' || true)
if [ "$leftovers" -gt 0 ]; then
  log "$leftovers test container(s) were left behind"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
