#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into this platform's store and registry:
#   scripts/restore.sh [--force] [--no-registry] DIR
# It reads the same configuration as the platform and backup.sh. Stop the builder and the gateways first (it refuses
# while scripts/up.sh's or the systemd units' run on this machine); the registry may run. Everything is checked before
# anything is written:
# - the manifest's format, and the backup's schema version against this release's (a newer one is refused: restore it
#   with that release or a later one); the store file against the manifest's checksum;
# - the store must be empty (no function, no deployment): an empty SQLite file or none, or an empty PostgreSQL
#   database the operator created (a schema without rows, as a platform started once leaves, is replaced). --force
#   replaces a store that is not empty;
# - the registry's storage (EPSILON_REGISTRY_DIR) may hold other repositories, such as the runtime base images
#   scripts/setup.sh seeds, but none of the backup's function repositories unless --force.
# Blobs are copied before repositories, so a running registry never serves a tag whose blobs are missing. When this
# platform's registry address (Epsilon__Registry__Address) differs from the backup's, the versions' image references
# are rewritten to it, so gateways pull from the restored registry.
set -euo pipefail
SCRIPT=restore
# shellcheck source=scripts/lib/store-backup.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/store-backup.sh"

force=0
with_registry=1
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --no-registry) with_registry=0 ;;
    --release-schema-version) release_schema_version; exit 0 ;;
    -h|--help) sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (usage: scripts/restore.sh [--force] [--no-registry] DIR)" ;;
    *) [ -n "$dir" ] && die "one DIR only"; dir="$1" ;;
  esac
  shift
done
[ -n "$dir" ] || die "usage: scripts/restore.sh [--force] [--no-registry] DIR"

load_config
ensure_tools
manifest="$dir/manifest.json"
[ -f "$manifest" ] || die "no manifest.json in $dir: not a backup, or an unfinished one"
jq -e . "$manifest" >/dev/null 2>&1 || die "$manifest is not JSON"

# 1. The backup itself.
format="$(jq -r '.format' "$manifest")"
[ "$format" = "$BACKUP_FORMAT" ] || die "the backup's format is $format; this release reads format $BACKUP_FORMAT"
schema="$(jq -r '.store.schemaVersion' "$manifest")"
release="$(release_schema_version)"
[[ "$schema" =~ ^[0-9]+$ ]] || die "the manifest has no schema version"
[ "$schema" -le "$release" ] \
  || die "the backup's schema version $schema is newer than this release's ($release): restore it with the release that made it ($(jq -r '.release' "$manifest")) or a later one"
backup_provider="$(jq -r '.store.provider' "$manifest")"
[ "$backup_provider" = "$PROVIDER" ] || die "the backup holds a $backup_provider store and this platform's store is $PROVIDER"
store_file="$dir/$(jq -r '.store.file' "$manifest")"
[ -f "$store_file" ] || die "$store_file is missing"
[ "$(sha256sum "$store_file" | cut -d' ' -f1)" = "$(jq -r '.store.sha256' "$manifest")" ] \
  || die "$store_file does not match the manifest's checksum: the backup is damaged"
if [ "$PROVIDER" = sqlite ]; then
  file_schema="$(sqlite_rows "$store_file" 'SELECT coalesce(max(version), 0) FROM schema_migrations')"
  [ "$file_schema" -le "$release" ] || die "the backup's store has schema version $file_schema, newer than this release's ($release)"
fi

# 2. No service of this machine may have the store open: scripts/up.sh's (pid files in the state folder) or the
# systemd units'. A fleet's gateways on other VMs are the operator's to stop.
for service in gateway builder; do
  pidfile="$STATE/$service.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then die "the $service runs (pid $(cat "$pidfile")): stop it first (scripts/down.sh)"; fi
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "epsilon-$service" 2>/dev/null; then
    die "epsilon-$service.service runs: stop it first (systemctl stop epsilon-$service)"
  fi
done

# 3. The target store must be empty: no function and no deployment.
count_sql="SELECT (SELECT count(*) FROM functions) + (SELECT count(*) FROM deployments)"
replace_schema=0
if [ "$PROVIDER" = sqlite ]; then
  target="$STORE_PATH"
  if [ -s "$target" ]; then
    tables="$(sqlite_rows "$target" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('functions', 'deployments')")"
    rows=0
    [ "$tables" = 2 ] && rows="$(sqlite_rows "$target" "$count_sql")"
    [ "$tables" = 0 ] || [ "$tables" = 2 ] || rows=unknown
  else
    rows=0
  fi
else
  target="database '$PGDATABASE' on ${PGHOST:-localhost}:${PGPORT:-5432}"
  postgres_rows 'SELECT 1' >/dev/null || die "cannot connect to the $target (create the database first)"
  tables="$(postgres_rows "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
  rows=0
  if [ "$tables" != 0 ]; then
    replace_schema=1
    epsilon_tables="$(postgres_rows "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('functions', 'deployments')")"
    if [ "$epsilon_tables" = 2 ]; then rows="$(postgres_rows "$count_sql")"; else rows=unknown; fi
  fi
fi
if [ "$rows" != 0 ]; then
  [ "$force" = 1 ] || die "the store ($target) is not empty ($rows functions and deployments): restoring would replace it; pass --force to do so"
  log "replacing the store ($target) that is not empty (--force)"
fi

# 4. The registry's storage: none of the backup's function repositories may be there already.
restore_registry=0
backup_address="$(jq -r '.registry.address // empty' "$manifest")"
if [ "$with_registry" = 1 ] && [ "$(jq -r '.registry.included // false' "$manifest")" = true ]; then
  [ "$REGISTRY_PROVIDER" = distribution ] || die "the backup holds a Distribution registry and this platform uses ECR; pass --no-registry and push the images yourself"
  source_v2="$(registry_v2 "$dir/$(jq -r '.registry.directory' "$manifest")")"
  [ -d "$source_v2" ] || die "$source_v2 is missing"
  target_v2="$(registry_v2 "$REGISTRY_DIR")"
  clashes="$(LC_ALL=C comm -12 <(registry_repositories "$dir/registry" | grep -v '^epsilon/' || true) <(registry_repositories "$REGISTRY_DIR"))"
  if [ -n "$clashes" ]; then
    [ "$force" = 1 ] || die "the registry ($REGISTRY_DIR) already holds $(echo "$clashes" | wc -l) of the backup's repositories ($(echo "$clashes" | head -3 | tr '\n' ' ')...): pass --force to overwrite their tags"
    log "overwriting the tags of $(echo "$clashes" | wc -l) repositories in the registry (--force)"
  fi
  restore_registry=1
fi
[[ "$REGISTRY_ADDRESS" =~ ^[A-Za-z0-9.:_/-]+$ ]] || die "Epsilon__Registry__Address '$REGISTRY_ADDRESS' is not an address"
[ -z "$backup_address" ] || [[ "$backup_address" =~ ^[A-Za-z0-9.:_/-]+$ ]] || die "the manifest's registry address is not an address"

# 5. Writes: the registry first (blobs, then repositories), then the store, then the image references.
if [ "$restore_registry" = 1 ]; then
  log "restoring the registry's storage into $REGISTRY_DIR"
  mkdir -p "$target_v2"
  for part in blobs repositories; do
    [ -d "$source_v2/$part" ] || continue
    tar -C "$source_v2" -cf - "$part" | tar -C "$target_v2" -xf -
  done
fi

rewrite=""
if [ -n "$backup_address" ] && [ "$backup_address" != "$REGISTRY_ADDRESS" ]; then
  log "pointing the versions' images at $REGISTRY_ADDRESS instead of $backup_address"
  rewrite="UPDATE versions SET image = '$REGISTRY_ADDRESS' || substr(image, length('$backup_address') + 1)
    WHERE substr(image, 1, length('$backup_address') + 1) = '$backup_address/'"
fi

if [ "$PROVIDER" = sqlite ]; then
  log "restoring the SQLite store into $STORE_PATH"
  store_dir="$(dirname "$STORE_PATH")"
  mkdir -p "$store_dir"
  staged="$(mktemp "$store_dir/.restore.XXXXXX")"
  trap 'rm -f "$staged"' EXIT
  cp "$store_file" "$staged"
  [ -z "$rewrite" ] || sqlite_rows "$staged" "$rewrite"
  # The services run as the store folder's owner (the epsilon user on a systemd install), not as whoever restores.
  chown --reference="$store_dir" "$staged" 2>/dev/null || true
  chmod 0640 "$staged"
  # A WAL file left beside the old store would be replayed into the new one.
  rm -f "$STORE_PATH-wal" "$STORE_PATH-shm"
  mv -f "$staged" "$STORE_PATH"
  trap - EXIT
else
  log "restoring the PostgreSQL $target"
  clean=()
  [ "$replace_schema" = 0 ] || clean=(--clean --if-exists)
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" --dbname="$PGDATABASE" "$store_file"
  [ -z "$rewrite" ] || postgres_rows "$rewrite" >/dev/null
fi

log "restored $(jq '.functions | length' "$manifest") function(s) ($(jq -r '[.functions[] | "\(.name)@\(.liveVersion // "none")"] | join(", ")' "$manifest")) from the backup of $(jq -r '.createdAt' "$manifest")"
