#!/usr/bin/env bash
# The egress policy of function and build containers: `egress.sh up` installs it, `egress.sh down` removes it.
#
# Function containers run user code, and so do builds (install scripts, the handler load check). Neither may reach this
# host's own addresses, the cloud metadata address or private ranges (the LAN, the VPC, other VMs' services); the DNS
# resolver is the exception, and EPSILON_EGRESS_ALLOW (space-separated addresses or CIDR networks) adds others, e.g. a
# database in the VPC that functions must use. Everything else (the internet) stays reachable.
#
# The containers sit on bridges named ep-* (the gateway names its function network's bridge so, and the builder builds
# on the epsilon-build network, bridge ep-build). Traffic they send through the host is filtered in Docker's DOCKER-USER
# chain (FORWARD), traffic to the host itself in INPUT; both jump to chains of Epsilon's own, flushed and refilled on
# every `up`, so the script is idempotent and `down` leaves the host as it found it.
set -euo pipefail

FORWARD_CHAIN=EPSILON-EGRESS
INPUT_CHAIN=EPSILON-INPUT
BRIDGES="ep-+"
log() { printf '\033[1m[egress]\033[0m %s\n' "$*" >&2; }

# Private and special-purpose IPv4 ranges a container has no business reaching: RFC 1918, carrier-grade NAT, link-local
# (169.254.169.254, the cloud metadata service, is in it), loopback, "this network", benchmarking, multicast, reserved.
BLOCKED_V4="10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 169.254.0.0/16 127.0.0.0/8 0.0.0.0/8 198.18.0.0/15 224.0.0.0/4 240.0.0.0/4"
BLOCKED_V6="fc00::/7 fe80::/10 ::1/128"

resolvers() {
  # The host's DNS servers (systemd-resolved's upstreams where it runs): containers' lookups go to them.
  local files=(/etc/resolv.conf)
  [ -f /run/systemd/resolve/resolv.conf ] && files+=(/run/systemd/resolve/resolv.conf)
  awk '$1 == "nameserver" { print $2 }' "${files[@]}" | grep -vE '^(127\.|::1$)' | sort -u
}

host_addresses() {
  ip -o addr show | awk '{ print $4 }' | cut -d/ -f1
}

chain_for() { # family chain
  local ipt=$1 chain=$2
  $ipt -w -N "$chain" 2>/dev/null || $ipt -w -F "$chain"
}

unhook() { # family table-chain chain
  local ipt=$1 parent=$2 chain=$3
  while $ipt -w -C "$parent" -i "$BRIDGES" -j "$chain" 2>/dev/null; do
    $ipt -w -D "$parent" -i "$BRIDGES" -j "$chain"
  done
}

up_family() { # iptables|ip6tables blocked-ranges
  local ipt=$1 blocked=$2 family=$3
  $ipt -w -N DOCKER-USER 2>/dev/null || true
  chain_for "$ipt" "$FORWARD_CHAIN"
  chain_for "$ipt" "$INPUT_CHAIN"

  # Through the host: answers to what was let out, DNS to the resolvers, the configured exceptions, then the ranges.
  $ipt -w -A "$FORWARD_CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
  for resolver in $(resolvers); do
    if [[ ($family == 4 && $resolver != *:*) || ($family == 6 && $resolver == *:*) ]]; then
      $ipt -w -A "$FORWARD_CHAIN" -d "$resolver" -p udp --dport 53 -j RETURN
      $ipt -w -A "$FORWARD_CHAIN" -d "$resolver" -p tcp --dport 53 -j RETURN
    fi
  done
  for allowed in ${EPSILON_EGRESS_ALLOW:-}; do
    if [[ ($family == 4 && $allowed != *:*) || ($family == 6 && $allowed == *:*) ]]; then
      $ipt -w -A "$FORWARD_CHAIN" -d "$allowed" -j RETURN
    fi
  done
  for address in $(host_addresses); do
    if [[ ($family == 4 && $address != *:*) || ($family == 6 && $address == *:*) ]]; then
      $ipt -w -A "$FORWARD_CHAIN" -d "$address" -j REJECT
    fi
  done
  for range in $blocked; do
    $ipt -w -A "$FORWARD_CHAIN" -d "$range" -j REJECT
  done

  # To the host itself (its bridge address, eth0's, any other): only answers to the host's own connections (the
  # gateway's calls and readiness checks); the rest is refused.
  $ipt -w -A "$INPUT_CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
  $ipt -w -A "$INPUT_CHAIN" -j REJECT

  unhook "$ipt" DOCKER-USER "$FORWARD_CHAIN"
  unhook "$ipt" INPUT "$INPUT_CHAIN"
  $ipt -w -I DOCKER-USER 1 -i "$BRIDGES" -j "$FORWARD_CHAIN"
  $ipt -w -I INPUT 1 -i "$BRIDGES" -j "$INPUT_CHAIN"
}

down_family() { # iptables|ip6tables
  local ipt=$1
  unhook "$ipt" DOCKER-USER "$FORWARD_CHAIN" 2>/dev/null || true
  unhook "$ipt" INPUT "$INPUT_CHAIN" 2>/dev/null || true
  for chain in "$FORWARD_CHAIN" "$INPUT_CHAIN"; do
    $ipt -w -F "$chain" 2>/dev/null || true
    $ipt -w -X "$chain" 2>/dev/null || true
  done
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
command -v iptables >/dev/null || { log "iptables is missing"; exit 1; }

case "${1:-}" in
  up)
    up_family "$SUDO iptables" "$BLOCKED_V4" 4
    if command -v ip6tables >/dev/null && $SUDO ip6tables -w -L INPUT -n >/dev/null 2>&1; then
      up_family "$SUDO ip6tables" "$BLOCKED_V6" 6
    fi
    log "function and build containers (bridges $BRIDGES) cannot reach this host, 169.254.169.254 or private ranges${EPSILON_EGRESS_ALLOW:+ (except $EPSILON_EGRESS_ALLOW)}"
    ;;
  down)
    down_family "$SUDO iptables"
    command -v ip6tables >/dev/null && down_family "$SUDO ip6tables"
    log "egress policy removed"
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
