#!/usr/bin/env bash
# Prints an HAProxy (2.6) configuration for a fleet of Epsilon gateways.
#   render.sh MODE BIND GATEWAY...     e.g. render.sh roundrobin 0.0.0.0:80 10.0.1.7:8080 10.0.1.8:8080
# MODE:
#   roundrobin  as an AWS ALB does; the gateways' own rendezvous routing keeps each function on its home gateway, at the
#               cost of one gateway-to-gateway hop for the calls that land elsewhere.
#   hash        consistent hashing of the function's path segment at the balancer; the call is marked
#               X-Epsilon-Home: 1 and served where it lands (spillover unchanged), so most calls need no extra hop.
# Health: GET /_epsilon/health every 500 ms; a draining gateway answers 503 and is out after two checks.
set -euo pipefail

mode="${1:?mode: roundrobin or hash}"; bind="${2:?bind address, e.g. 0.0.0.0:80}"; shift 2
[ $# -gt 0 ] || { echo "render.sh: name at least one gateway host:port" >&2; exit 2; }
case "$mode" in roundrobin|hash) ;; *) echo "render.sh: mode must be roundrobin or hash" >&2; exit 2 ;; esac

cat <<CFG
global
    # Within the default open-file limit (1024 soft is raised to the hard limit); raise both together for more.
    maxconn 4096

defaults
    mode http
    option http-keep-alive
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout http-keep-alive 30s
    # A busy gateway may be slow to answer its check; a draining one answers 503 at once, so this does not slow a drain.
    timeout check 2s
    # A connection refused by a gateway that just stopped is tried on another, never failed to the caller.
    retries 2
    option redispatch 1

frontend epsilon
    bind ${bind}
    # The gateways' own markers come only from the balancer and from each other, never from a caller.
    http-request del-header X-Epsilon-Home
    http-request del-header X-Epsilon-Forwarded-By
    default_backend gateways

backend gateways
    option httpchk GET /_epsilon/health
    http-check expect status 200
    default-server inter 500ms fastinter 250ms fall 2 rise 2
CFG
if [ "$mode" = "hash" ]; then
  cat <<CFG
    # The function is the first path segment: /<function>/... (and /invoke/<project>/<function>/... hashes by project).
    balance hash path,field(2,/)
    hash-type consistent
    http-request set-header X-Epsilon-Home 1
CFG
else
  echo "    balance roundrobin"
fi
i=0
for gateway in "$@"; do
  i=$((i + 1))
  echo "    server gateway$i $gateway check"
done
