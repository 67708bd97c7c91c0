# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run): the platform's own configuration, the store's
# and the registry's locations, and the tools they need. Nothing here prints a password: PostgreSQL's is handed to
# pg_dump, pg_restore and psql in PGPASSWORD, never on a command line or in a log line.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The backup's layout; a restore refuses any other.
BACKUP_FORMAT=1

log() { printf '\033[1m[%s]\033[0m %s\n' "$SCRIPT" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The configuration the services read: /etc/epsilon/epsilon.env on a systemd install (EPSILON_CONFIG names another
# file), then what epsilon-env wrote at the services' start (the connection string with the password). Variables
# already in the environment win, as they would for the services.
load_config() {
  local saved config="${EPSILON_CONFIG:-/etc/epsilon/epsilon.env}" file
  saved="$(export -p)"
  for file in "$config" /run/epsilon/builder.env /run/epsilon/gateway.env; do
    if [ -f "$file" ] && [ -r "$file" ]; then
      set -a
      # shellcheck disable=SC1090
      . "$file"
      set +a
    fi
  done
  eval "$saved"

  STATE="${EPSILON_STATE_DIR:-/var/lib/epsilon}"
  case "$(printf '%s' "${Epsilon__Store__Provider:-Sqlite}" | tr '[:upper:]' '[:lower:]')" in
    sqlite) PROVIDER=sqlite ;;
    postgres) PROVIDER=postgres ;;
    *) die "Epsilon__Store__Provider is '${Epsilon__Store__Provider}', not Sqlite or Postgres" ;;
  esac
  STORE_PATH="${Epsilon__Store__Path:-$STATE/epsilon.db}"
  case "$(printf '%s' "${Epsilon__Registry__Provider:-Distribution}" | tr '[:upper:]' '[:lower:]')" in
    ecr) REGISTRY_PROVIDER=ecr ;;
    *) REGISTRY_PROVIDER=distribution ;;
  esac
  REGISTRY_ADDRESS="${Epsilon__Registry__Address:-127.0.0.1:5000}"
  # The registry's filesystem storage (scripts/setup.sh's rootdirectory); the copy is made where the registry runs.
  REGISTRY_DIR="${EPSILON_REGISTRY_DIR:-$STATE/registry}"
  if [ "$PROVIDER" = postgres ]; then
    if [ -n "${Epsilon__Store__ConnectionString:-}" ]; then
      postgres_environment "$Epsilon__Store__ConnectionString"
    elif [ -n "${EPSILON_DB_HOST:-}" ]; then
      postgres_environment_from_settings
    else
      die "Epsilon__Store__Provider=Postgres needs Epsilon__Store__ConnectionString (or EPSILON_DB_HOST, as infra/systemd/epsilon-env reads it)"
    fi
  fi
}

# The newest schema step this release knows: the last of core/Epsilon.Core/Store/Migrations/SchemaMigrations.cs (a test
# checks that this agrees with the code).
release_schema_version() {
  grep -oE '^[[:space:]]*new\([0-9]+,' "$ROOT/core/Epsilon.Core/Store/Migrations/SchemaMigrations.cs" \
    | grep -oE '[0-9]+' | sort -n | tail -1
}

# Npgsql's connection string to libpq's environment (PGHOST, PGPASSWORD, ...), which pg_dump, pg_restore and psql read.
postgres_environment() {
  local pair key value
  local IFS=';'
  for pair in $1; do
    [ -n "${pair//[[:space:]]/}" ] || continue
    key="$(printf '%s' "${pair%%=*}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
    value="${pair#*=}"
    value="${value#"${value%%[![:space:]]*}"}"; value="${value%"${value##*[![:space:]]}"}"
    value="${value#\"}"; value="${value%\"}"; value="${value#\'}"; value="${value%\'}"
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      database|db) export PGDATABASE="$value" ;;
      username|userid|user) export PGUSER="$value" ;;
      password|psw|pwd) export PGPASSWORD="$value" ;;
      sslmode)
        case "$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')" in
          verifyfull) export PGSSLMODE=verify-full ;;
          verifyca) export PGSSLMODE=verify-ca ;;
          *) export PGSSLMODE="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')" ;;
        esac ;;
      rootcertificate) export PGSSLROOTCERT="$value" ;;
      sslcertificate) export PGSSLCERT="$value" ;;
      sslkey) export PGSSLKEY="$value" ;;
    esac
  done
  [ -n "${PGDATABASE:-}" ] || die "the connection string names no Database"
  export PGAPPNAME="epsilon-$SCRIPT" PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
}

# A VM's EPSILON_DB_* settings (infra/systemd/epsilon.env.example) to libpq's environment, as infra/systemd/epsilon-env
# turns them into the services' connection string: the password given, or read from SSM Parameter Store.
postgres_environment_from_settings() {
  export PGHOST="$EPSILON_DB_HOST" PGPORT="${EPSILON_DB_PORT:-5432}" PGDATABASE="${EPSILON_DB_NAME:-epsilon}"
  export PGUSER="${EPSILON_DB_USER:-epsilon}" PGSSLMODE="${EPSILON_DB_SSL_MODE:-VerifyFull}"
  postgres_environment "SSL Mode=$PGSSLMODE;Database=$PGDATABASE"
  [ -z "${EPSILON_DB_CA:-}" ] || export PGSSLROOTCERT="$EPSILON_DB_CA"
  if [ -n "${EPSILON_DB_PASSWORD_PARAMETER:-}" ]; then
    PGPASSWORD="$(aws ssm get-parameter --region "${AWS_REGION:?AWS_REGION must name the region of the SSM parameter}" \
      --name "$EPSILON_DB_PASSWORD_PARAMETER" --with-decryption --query Parameter.Value --output text)" \
      || die "reading the database password from SSM ($EPSILON_DB_PASSWORD_PARAMETER) failed"
    export PGPASSWORD
  elif [ -n "${EPSILON_DB_PASSWORD:-}" ]; then
    export PGPASSWORD="$EPSILON_DB_PASSWORD"
  fi
}

# Debian's tools when absent: sqlite3 for the SQLite store, PostgreSQL 15's client for the other, jq for the manifest.
ensure_tools() {
  local packages=() sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  command -v jq >/dev/null 2>&1 || packages+=(jq)
  command -v sha256sum >/dev/null 2>&1 || packages+=(coreutils)
  if [ "$PROVIDER" = sqlite ]; then
    command -v sqlite3 >/dev/null 2>&1 || packages+=(sqlite3)
  else
    command -v pg_restore >/dev/null 2>&1 || packages+=(postgresql-client-15)
  fi
  if [ ${#packages[@]} -gt 0 ]; then
    log "installing ${packages[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
}

# One SQL query's rows, tab-separated, against the SQLite file $1 (busy for up to 30 s behind a writer).
sqlite_rows() { sqlite3 -batch -noheader -separator $'\t' -cmd '.timeout 30000' "$1" "$2"; }

# One SQL query's rows, tab-separated, against the configured PostgreSQL database.
postgres_rows() { psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -c "$1"; }

# Where Distribution keeps repositories and blobs under its filesystem root.
registry_v2() { printf '%s/docker/registry/v2' "$1"; }

# The repositories of a registry's storage (those holding manifests), one a line.
registry_repositories() {
  local v2
  v2="$(registry_v2 "$1")/repositories"
  [ -d "$v2" ] || return 0
  find "$v2" -type d -name _manifests -prune -printf '%h\n' | sed "s|^$v2/||" | LC_ALL=C sort
}
