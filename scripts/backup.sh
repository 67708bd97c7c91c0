#!/usr/bin/env bash
# Backs up Epsilon's store and image registry into DIR while the builder and the gateways keep running:
#   scripts/backup.sh [--no-registry] DIR
# It reads the platform's own configuration (the environment, /etc/epsilon/epsilon.env, EPSILON_STATE_DIR):
# - SQLite (Epsilon__Store__Path): VACUUM INTO, one consistent snapshot that WAL mode lets the builder and the gateways
#   write past while it is taken, checked with PRAGMA integrity_check;
# - PostgreSQL (Epsilon__Store__Provider=Postgres, Epsilon__Store__ConnectionString): pg_dump -Fc, one snapshot;
# - the registry (EPSILON_REGISTRY_DIR, default $EPSILON_STATE_DIR/registry): a copy of Distribution's filesystem
#   storage, taken after the store so every image the store names was pushed before the copy began, its repositories
#   before its blobs so every manifest copied has its blobs (blobs are only ever added; run no garbage collection
#   meanwhile). On a fleet, run it on the registry's VM (PostgreSQL is reached over the network); --no-registry backs
#   up the store alone. Amazon ECR keeps its images itself: nothing to copy.
# DIR/manifest.json says what was backed up, when, the schema version and every function's versions. DIR (mode 0700)
# holds the functions' environment variables as the store does: keep it as safe as the store.
set -euo pipefail
SCRIPT=backup
# shellcheck source=scripts/lib/store-backup.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/store-backup.sh"

with_registry=1
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-registry) with_registry=0 ;;
    -h|--help) sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (usage: scripts/backup.sh [--no-registry] DIR)" ;;
    *) [ -z "$dir" ] || die "one DIR only"; dir="$1" ;;
  esac
  shift
done
[ -n "$dir" ] || die "usage: scripts/backup.sh [--no-registry] DIR"

load_config
ensure_tools
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then die "$dir is not empty"; fi
umask 077
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# 1. The store, then from that snapshot itself its schema version and every version (function, version, status,
# image, live), so the manifest describes exactly what was saved.
if [ "$PROVIDER" = sqlite ]; then
  [ -f "$STORE_PATH" ] || die "no SQLite store at $STORE_PATH (Epsilon__Store__Path)"
  log "backing up the SQLite store $STORE_PATH"
  store_file=store.db
  # VACUUM INTO reads the whole file in one read transaction: WAL lets the services write meanwhile, and unlike the
  # backup API stepping through pages it never starts over when they do.
  sqlite_rows "$STORE_PATH" "VACUUM INTO '$(printf '%s' "$dir/$store_file" | sed "s/'/''/g")'"
  check="$(sqlite_rows "$dir/$store_file" 'PRAGMA integrity_check')"
  [ "$check" = ok ] || die "the backup's integrity check failed: $check"
  schema="$(sqlite_rows "$dir/$store_file" 'SELECT coalesce(max(version), 0) FROM schema_migrations')"
  sqlite_rows "$dir/$store_file" "SELECT v.function, v.version, v.status, v.image, CASE WHEN f.live_version = v.version THEN 1 ELSE 0 END
    FROM versions v JOIN functions f ON f.name = v.function" >"$work/versions.tsv"
  store_description="$(jq -n --arg path "$STORE_PATH" '{path: $path}')"
else
  log "backing up the PostgreSQL database '$PGDATABASE' on ${PGHOST:-localhost}:${PGPORT:-5432}"
  store_file=store.dump
  pg_dump --format=custom --no-owner --no-privileges --file="$dir/$store_file"
  # The dump's own rows (COPY blocks: a header naming the columns, tab-separated rows, then \.).
  pg_restore --data-only --table=functions --table=versions --table=schema_migrations --file=- "$dir/$store_file" \
    | awk -F'\t' -v out="$work/versions.tsv" '
        /^COPY public\./ {
          table = $0; sub(/^COPY public\./, "", table); sub(/ .*/, "", table)
          columns = $0; sub(/^[^(]*\(/, "", columns); sub(/\).*/, "", columns)
          n = split(columns, names, ", "); for (i = 1; i <= n; i++) at[table, names[i]] = i
          inside = 1; next
        }
        inside && $0 == "\\." { inside = 0; next }
        inside && table == "functions" { live[$at["functions", "name"]] = $at["functions", "live_version"] }
        inside && table == "versions" {
          rows[++count] = $at["versions", "function"] "\t" $at["versions", "version"] "\t" $at["versions", "status"] "\t" $at["versions", "image"]
        }
        inside && table == "schema_migrations" { v = $at["schema_migrations", "version"] + 0; if (v > schema) schema = v }
        END {
          for (i = 1; i <= count; i++) { split(rows[i], f, "\t"); print rows[i] "\t" (live[f[1]] == f[2] ? 1 : 0) > out }
          printf "" > out
          print schema + 0
        }' >"$work/schema"
  schema="$(cat "$work/schema")"
  store_description="$(jq -n --arg host "${PGHOST:-localhost}" --arg port "${PGPORT:-5432}" --arg database "$PGDATABASE" \
    '{host: $host, port: ($port | tonumber), database: $database}')"
fi
[ "$schema" -gt 0 ] || die "the store has no schema yet: nothing to back up"
store_sha="$(sha256sum "$dir/$store_file" | cut -d' ' -f1)"

# 2. The registry's storage: repositories (tags, manifest links), then blobs; uploads under way are left out.
# The registry's address is recorded either way: the store's image references start with it, and a restore onto
# another address rewrites them.
registry_description="$(jq -n --arg provider "$REGISTRY_PROVIDER" --arg address "$REGISTRY_ADDRESS" '{provider: $provider, address: $address, included: false}')"
if [ "$REGISTRY_PROVIDER" = ecr ]; then
  log "the registry is Amazon ECR: its images stay there (its lifecycle policy keeps the newest; see infra/terraform/ecr.tf)"
elif [ "$with_registry" = 1 ]; then
  source_v2="$(registry_v2 "$REGISTRY_DIR")"
  [ -d "$source_v2" ] || die "no registry storage at $REGISTRY_DIR (EPSILON_REGISTRY_DIR); --no-registry leaves it out"
  log "copying the registry's storage $REGISTRY_DIR"
  target_v2="$(registry_v2 "$dir/registry")"
  mkdir -p "$target_v2"
  for part in repositories blobs; do
    [ -d "$source_v2/$part" ] || continue
    tar -C "$source_v2" --exclude=_uploads -cf - "$part" | tar -C "$target_v2" -xf -
  done
  # Every ready version the store names in this registry must be in the copy: the live ones or the backup fails.
  missing=0
  while IFS=$'\t' read -r function version status image live; do
    [ "$(printf '%s' "$status" | tr '[:upper:]' '[:lower:]')" = ready ] || continue
    case "$image" in "$REGISTRY_ADDRESS"/*) ;; *) continue ;; esac
    reference="${image#"$REGISTRY_ADDRESS"/}"
    link="$target_v2/repositories/${reference%:*}/_manifests/tags/${reference##*:}/current/link"
    digest="$(cat "$link" 2>/dev/null || true)"
    if [ -z "$digest" ] || [ ! -f "$target_v2/blobs/sha256/${digest:7:2}/${digest:7}/data" ]; then
      if [ "$live" = 1 ]; then log "the live version $version of '$function' ($image) is not in the registry"; missing=1
      else log "warning: version $version of '$function' ($image) is not in the registry"; fi
    fi
  done <"$work/versions.tsv"
  [ "$missing" = 0 ] || die "the registry storage at $REGISTRY_DIR lacks live images of $REGISTRY_ADDRESS: run the backup on the registry's machine (EPSILON_REGISTRY_DIR), or pass --no-registry"
  registry_description="$(registry_repositories "$dir/registry" | jq -R -s --arg address "$REGISTRY_ADDRESS" --arg path "$REGISTRY_DIR" \
    '{provider: "distribution", address: $address, included: true, path: $path, directory: "registry",
      repositories: (split("\n") | map(select(length > 0)))}')"
else
  log "leaving the registry out (--no-registry)"
fi

# 3. The manifest, last: a backup without one is unfinished.
jq -R -s \
  --argjson format "$BACKUP_FORMAT" --arg createdAt "$started" --arg finishedAt "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg host "$(hostname)" --arg release "$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)" \
  --arg provider "$PROVIDER" --arg file "$store_file" --arg sha "$store_sha" --argjson schema "$schema" \
  --argjson store "$store_description" --argjson registry "$registry_description" '
  (split("\n") | map(select(length > 0) | split("\t"))) as $rows
  | {
      format: $format, createdAt: $createdAt, finishedAt: $finishedAt, host: $host, release: $release,
      store: ({provider: $provider, file: $file, sha256: $sha, schemaVersion: $schema} + $store),
      registry: $registry,
      functions: ($rows | group_by(.[0]) | map({
        name: .[0][0],
        liveVersion: (map(select(.[4] == "1") | .[1] | tonumber) | first),
        versions: (map({version: (.[1] | tonumber), status: .[2], image: .[3]}) | sort_by(.version))
      }))
    }' <"$work/versions.tsv" >"$dir/manifest.json"

log "backed up $(jq '.functions | length' "$dir/manifest.json") function(s), schema version $schema, into $dir"
