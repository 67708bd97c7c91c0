#!/usr/bin/env bash
# Installs Epsilon's gateway, builder or both as systemd services on a Debian 12 VM, from the repository this script is
# in (EPSILON_HOME, default /opt/epsilon): Debian packages, the .NET SDK, scripts/setup.sh (Docker, the registry on
# loopback, base images, the Release build), the epsilon user, the units (with EPSILON_REGISTRY_SERVE=true on the
# builder, also the fleet's registry: HTTPS with basic auth). Configuration is /etc/epsilon/epsilon.env
# (cloud-init writes it on AWS; on plain VMs start from infra/systemd/epsilon.env.example). Idempotent.
#   infra/systemd/install.sh gateway|builder|all
set -euo pipefail

role="${1:?usage: install.sh gateway|builder|all}"
case "$role" in gateway|builder|all) ;; *) echo "install.sh: role must be gateway, builder or all" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONFIG=/etc/epsilon/epsilon.env
DOTNET_CHANNEL="${EPSILON_DOTNET_CHANNEL:-10.0}"
export HOME="${HOME:-/root}"
log() { printf '\033[1m[install]\033[0m %s\n' "$*" >&2; }

[ -f "$CONFIG" ] || { log "$CONFIG is missing (see infra/systemd/epsilon.env.example)"; exit 1; }
setting() { sed -n "s/^$1=//p" "$CONFIG" | tail -1 | sed 's/^"\(.*\)"$/\1/'; }

packages=(ca-certificates curl git libicu72)
# The AWS CLI signs the SSM read of the database password with the instance role (infra/systemd/epsilon-env).
[ -n "$(setting EPSILON_DB_PASSWORD_PARAMETER)" ] && packages+=(awscli)
# The fleet's registry on this VM: its htpasswd file comes from apache2-utils' htpasswd (bcrypt).
serve_registry=false
[ "$role" != gateway ] && [ "$(setting EPSILON_REGISTRY_SERVE)" = true ] && serve_registry=true
[ "$serve_registry" = true ] && packages+=(apache2-utils)
log "installing ${packages[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null

# Debian has no .NET package: Microsoft's install script, into /usr/share/dotnet, linked from /usr/bin/dotnet.
if ! /usr/bin/dotnet --list-sdks 2>/dev/null | grep -q "^$DOTNET_CHANNEL\."; then
  log "installing the .NET $DOTNET_CHANNEL SDK"
  curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
  bash /tmp/dotnet-install.sh --channel "$DOTNET_CHANNEL" --install-dir /usr/share/dotnet --no-path
  ln -sf /usr/share/dotnet/dotnet /usr/bin/dotnet
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1

log "running scripts/setup.sh"
"$ROOT/scripts/setup.sh"

if [ -n "$(setting EPSILON_DB_CA_URL)" ] && [ -n "$(setting EPSILON_DB_CA)" ]; then
  log "fetching the database's CA bundle"
  curl -fsSL "$(setting EPSILON_DB_CA_URL)" -o "$(setting EPSILON_DB_CA)"
  chmod 0644 "$(setting EPSILON_DB_CA)"
fi

id epsilon >/dev/null 2>&1 || useradd --system --home-dir /var/lib/epsilon --no-create-home --shell /usr/sbin/nologin epsilon
usermod -aG docker epsilon
# The SQLite store (one VM, no EPSILON_DB_HOST) lives where the epsilon user may write.
install -d -o epsilon -g epsilon -m 0750 /var/lib/epsilon/store
# The key of functions' secrets (Epsilon__Secrets__KeyFile): made once; every VM of a fleet needs the same one, so copy it
# there before the services start rather than letting each make its own.
if [ ! -s /var/lib/epsilon/secrets.key ]; then
  (umask 077; head -c 32 /dev/urandom | base64 >/var/lib/epsilon/secrets.key)
  log "made the secrets key /var/lib/epsilon/secrets.key (mode 0600); copy it to every VM of the fleet"
fi
chown epsilon:epsilon /var/lib/epsilon/secrets.key
chmod 0600 /var/lib/epsilon/secrets.key

# Registry credentials and trust (README "TLS"): the password file is the services' to read, nobody else's; the engine
# trusts the registry's certificate by the CA in certs.d, which it reads at each connection (no restart).
registry_address="$(setting Epsilon__Registry__Address)"
registry_user="$(setting Epsilon__Registry__Username)"
password_file="$(setting Epsilon__Registry__PasswordFile)"
if [ -n "$password_file" ]; then
  [ -s "$password_file" ] || { log "Epsilon__Registry__PasswordFile $password_file is missing or empty"; exit 1; }
  chown root:epsilon "$password_file"
  chmod 0640 "$password_file"
fi
if [ -n "$(setting EPSILON_REGISTRY_CA)" ]; then
  [ -n "$registry_address" ] || { log "EPSILON_REGISTRY_CA needs Epsilon__Registry__Address (host:port)"; exit 1; }
  install -D -m 0644 "$(setting EPSILON_REGISTRY_CA)" "/etc/docker/certs.d/$registry_address/ca.crt"
fi
if [ "$serve_registry" = true ]; then
  log "setting up the fleet's registry (epsilon-registry.service, HTTPS with basic auth)"
  for file in /etc/epsilon/tls/registry.crt /etc/epsilon/tls/registry.key; do
    [ -f "$file" ] || { log "$file is missing: the registry serves HTTPS only"; exit 1; }
  done
  [ -n "$registry_user" ] && [ -n "$password_file" ] \
    || { log "EPSILON_REGISTRY_SERVE needs Epsilon__Registry__Username and Epsilon__Registry__PasswordFile"; exit 1; }
  # htpasswd -i reads the password from stdin (not the command line, which other users can see).
  # It says "Adding password for user" on stderr even when it succeeds, so its words are shown only on a failure.
  out="$(htpasswd -iBc /etc/epsilon/registry.htpasswd.new "$registry_user" <"$password_file" 2>&1)" \
    || { log "htpasswd failed: $out"; exit 1; }
  chown root:docker-registry /etc/epsilon/registry.htpasswd.new /etc/epsilon/tls/registry.key
  chmod 0640 /etc/epsilon/registry.htpasswd.new /etc/epsilon/tls/registry.key
  mv /etc/epsilon/registry.htpasswd.new /etc/epsilon/registry.htpasswd
  install -m 0644 "$ROOT/infra/systemd/epsilon-registry.yml" /etc/epsilon/registry.yml
  install -d -o docker-registry -g docker-registry -m 0750 /var/lib/epsilon/registry-fleet
fi

install -d /usr/local/lib/epsilon
install -m 0755 "$ROOT/infra/systemd/epsilon-env" /usr/local/lib/epsilon/epsilon-env
units=()
[ "$serve_registry" = true ] && units+=(epsilon-registry.service)
[ "$role" = builder ] || units+=(epsilon-gateway.service)
[ "$role" = gateway ] || units+=(epsilon-builder.service)
for unit in "${units[@]}"; do install -m 0644 "$ROOT/infra/systemd/$unit" "/etc/systemd/system/$unit"; done
# The registry's storage is freed by its own garbage-collect, on EPSILON_REGISTRY_GC's schedule (weekly unless set;
# "off" never): it stops the registry for the seconds of the sweep, so pick a quiet time.
registry_gc="$(setting EPSILON_REGISTRY_GC)"
registry_gc="${registry_gc:-weekly}"
if [ "$serve_registry" = true ] && [ "$registry_gc" != off ]; then
  systemd-analyze calendar "$registry_gc" >/dev/null || { log "EPSILON_REGISTRY_GC '$registry_gc' is not a systemd calendar expression"; exit 1; }
  install -m 0644 "$ROOT/infra/systemd/epsilon-registry-gc.service" /etc/systemd/system/epsilon-registry-gc.service
  sed "s|^OnCalendar=.*|OnCalendar=$registry_gc|" "$ROOT/infra/systemd/epsilon-registry-gc.timer" >/etc/systemd/system/epsilon-registry-gc.timer
  systemctl daemon-reload
  systemctl enable --now epsilon-registry-gc.timer
  log "registry garbage collection: epsilon-registry-gc.timer, $registry_gc"
elif [ -f /etc/systemd/system/epsilon-registry-gc.timer ]; then
  systemctl disable --now epsilon-registry-gc.timer
  rm -f /etc/systemd/system/epsilon-registry-gc.timer /etc/systemd/system/epsilon-registry-gc.service
fi
systemctl daemon-reload
systemctl enable "${units[@]}"
systemctl restart "${units[@]}"
log "started ${units[*]}: journalctl$(printf -- ' -u %s' "${units[@]}")"
