#!/usr/bin/env bash
# Brings up what Epsilon needs on one Debian machine: the Docker engine, a local image registry on
# 127.0.0.1:5000, the base images (bootstrapped from Debian, since no image can be pulled here) and
# the built solution. Idempotent: with everything present a second run takes seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${EPSILON_STATE_DIR:-/var/lib/epsilon}"
DEBIAN_MIRROR="${EPSILON_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CA_BUNDLE="${EPSILON_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
BASE_IMAGE="epsilon/debian:bookworm"
REGISTRY="127.0.0.1:5000"
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_packages=()
command -v dockerd >/dev/null 2>&1 || need_packages+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || need_packages+=(docker-registry)
command -v debootstrap >/dev/null 2>&1 || need_packages+=(debootstrap)
command -v git >/dev/null 2>&1 || need_packages+=(git)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
if [ ${#need_packages[@]} -gt 0 ]; then
  log "installing ${need_packages[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi
$SUDO mkdir -p "$STATE"
# The key that encrypts functions' secrets at rest (Epsilon:Secrets:KeyFile, which up.sh passes to builder and gateway):
# 32 random bytes in base64, made once and readable by its owner only; losing it loses every stored secret.
if [ ! -s "$STATE/secrets.key" ]; then
  $SUDO sh -c "umask 077; head -c 32 /dev/urandom | base64 >'$STATE/secrets.key'"
  log "made the secrets key $STATE/secrets.key (mode 0600)"
fi
$SUDO chmod 600 "$STATE/secrets.key"

# The Docker engine: start it unless something already answers on the socket.
if ! docker version >/dev/null 2>&1; then
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    $SUDO systemctl start docker || true
  fi
  if ! docker version >/dev/null 2>&1; then
    log "starting dockerd"
    $SUDO bash -c "nohup dockerd >'$STATE/dockerd.log' 2>&1 &"
  fi
  for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  docker version >/dev/null 2>&1 || { log "dockerd did not come up; see $STATE/dockerd.log"; exit 1; }
fi
log "docker engine $(docker version --format '{{.Server.Version}}') is up"

# Debian's docker-registry package enables and starts its own service where systemd runs: on :5000 on every interface,
# with an htpasswd path that is a folder. It would hold the port the registry below needs; Epsilon runs its own (this
# one on loopback, and infra/systemd/epsilon-registry.service for a fleet).
if [ -d /run/systemd/system ] && systemctl is-enabled -q docker-registry.service 2>/dev/null; then
  log "disabling Debian's docker-registry.service"
  $SUDO systemctl disable --now -q docker-registry.service
fi

# The image registry: Distribution with our own config (no auth on loopback, deletes enabled).
if ! curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then
  log "starting the image registry on 127.0.0.1:5000"
  $SUDO mkdir -p "$STATE/registry"
  $SUDO tee "$STATE/registry.yml" >/dev/null <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
YAML
  $SUDO bash -c "nohup docker-registry serve '$STATE/registry.yml' >'$STATE/registry.log' 2>&1 &"
  for _ in $(seq 1 40); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.25; done
  curl -fsS http://127.0.0.1:5000/v2/ >/dev/null || { log "registry did not come up; see $STATE/registry.log"; exit 1; }
fi
log "registry is up on 127.0.0.1:5000"

# Function and build containers run user code: they reach the internet, not this host or private ranges.
$SUDO "$ROOT/scripts/egress.sh" up

# The Debian base image, bootstrapped since nothing can be pulled.
if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "bootstrapping $BASE_IMAGE from Debian (about a minute, once per machine)"
  rootfs="$(mktemp -d)"
  $SUDO debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$STATE/debootstrap.log" 2>&1 \
    || { log "debootstrap failed; see $STATE/debootstrap.log"; exit 1; }
  $SUDO tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  $SUDO rm -rf "$rootfs"
fi

# Runtime images: each wrapper-runtime/<runtime>/base.Dockerfile (what functions run on) and build.Dockerfile (the
# build stage: compilers, package managers), tagged by the hash of the runtime folder's files outside src/ and test/,
# so a change to a runtime's dependencies rebuilds its images and nothing else does.
for dir in "$ROOT"/wrapper-runtime/*/; do
  runtime="$(basename "$dir")"
  hash="$(cd "$dir" && find . -type f -not -path './src/*' -not -path './test/*' -not -path './node_modules/*' \
            -not -path './__pycache__/*' -not -name '*.md' -not -name 'Dockerfile.template' -not -name 'runtime.json' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)"
  # .NET (a runtime folder with dotnet-sdk.include): no image can be pulled and Debian has no dotnet package, so the
  # images get this machine's .NET install as dotnet/ in their context: the whole SDK for the build image, only the
  # ASP.NET Core runtime (muxer, host/, shared/Microsoft.NETCore.App and Microsoft.AspNetCore.App) for the base image.
  # The SDK and runtime versions are part of the hash, so a new SDK rebuilds them. No dotnet here: the runtime is skipped.
  dotnet_home=""
  if [ -f "$dir/dotnet-sdk.include" ]; then
    if ! command -v dotnet >/dev/null 2>&1; then
      log "warning: no dotnet on this machine: skipping the $runtime runtime's images"
      continue
    fi
    dotnet_home="$(dirname "$(readlink -f "$(command -v dotnet)")")"
    hash="$(printf '%s %s %s' "$hash" "$(dotnet --version)" "$(dotnet --list-runtimes | tr '\n' ' ')" | sha256sum | cut -c1-12)"
  fi
  for kind in base build; do
    [ -f "$dir/$kind.Dockerfile" ] || continue
    name="epsilon/runtime-$runtime"
    [ "$kind" = build ] && name="$name-build"
    if ! docker image inspect "$name:$hash" >/dev/null 2>&1; then
      log "building $name:$hash (once per change of wrapper-runtime/$runtime)"
      ctx="$(mktemp -d)"
      cp -r "$dir"/. "$ctx/"
      rm -rf "$ctx/node_modules" "$ctx/test"
      cp "$CA_BUNDLE" "$ctx/extra-ca.crt"
      if [ -n "$dotnet_home" ] && [ "$kind" = build ]; then    # .NET, see above
        cp -a "$dotnet_home" "$ctx/dotnet" && rm -rf "$ctx/dotnet/templates"
      elif [ -n "$dotnet_home" ]; then
        mkdir -p "$ctx/dotnet/shared"
        cp -a "$dotnet_home/dotnet" "$dotnet_home/host" "$ctx/dotnet/"
        cp -a "$dotnet_home/shared/Microsoft.NETCore.App" "$dotnet_home/shared/Microsoft.AspNetCore.App" "$ctx/dotnet/shared/"
      fi
      docker build -q -f "$ctx/$kind.Dockerfile" -t "$name:$hash" "$ctx" >/dev/null \
        || { log "building $name failed"; rm -rf "$ctx"; exit 1; }
      rm -rf "$ctx"
    fi
    docker tag "$name:$hash" "$name:latest"
    # Seed the registry with the base image's layers: every function image is built on them, and its first push then
    # mounts them instead of uploading hundreds of megabytes (a first deploy of 9 s becomes 2.5 s).
    if [ "$kind" = base ] && ! curl -fsS -o /dev/null -I -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        "http://$REGISTRY/v2/$name/manifests/$hash" 2>/dev/null; then
      log "seeding the registry with $name:$hash"
      docker tag "$name:$hash" "$REGISTRY/$name:$hash"
      docker push -q "$REGISTRY/$name:$hash" >/dev/null || { log "pushing $name to $REGISTRY failed"; exit 1; }
    fi
  done
done
log "base images ready: $(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^epsilon/' | tr '\n' ' ')"

if [ "${EPSILON_SKIP_BUILD:-0}" != "1" ]; then
  log "building the solution"
  dotnet build "$ROOT/Epsilon.sln" -c Release -nologo -v q -clp:NoSummary
  # The epsilon CLI on the PATH: a launcher for this checkout's build.
  EPSILON_BIN_DIR="${EPSILON_BIN_DIR:-/usr/local/bin}"
  $SUDO tee "$EPSILON_BIN_DIR/epsilon" >/dev/null <<SH
#!/bin/sh
exec dotnet "$ROOT/cli/Epsilon.Cli/bin/Release/net10.0/epsilon.dll" "\$@"
SH
  $SUDO chmod 0755 "$EPSILON_BIN_DIR/epsilon"
fi
log "done"
