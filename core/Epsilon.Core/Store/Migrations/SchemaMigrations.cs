namespace Epsilon.Core.Store.Migrations;

/// <summary>Every step of the schema, in order. Append only; never edit or remove a step that has shipped.</summary>
internal static class SchemaMigrations
{
    /// <summary>The table that records which steps a database has.</summary>
    public const string HistoryTable = "schema_migrations";

    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        // The schema the first release created without a history; IF NOT EXISTS adopts a database it made.
        new(1, "deployments, functions and versions",
            Sqlite: """
                CREATE TABLE IF NOT EXISTS deployments (
                    id TEXT PRIMARY KEY, repository TEXT NOT NULL, ref TEXT, commit_sha TEXT, status TEXT NOT NULL,
                    error TEXT, log TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, finished_at TEXT);
                CREATE TABLE IF NOT EXISTS functions (
                    name TEXT PRIMARY KEY, repository TEXT NOT NULL, live_version INTEGER,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS versions (
                    function TEXT NOT NULL REFERENCES functions(name), version INTEGER NOT NULL, image TEXT NOT NULL,
                    status TEXT NOT NULL, deployment_id TEXT NOT NULL REFERENCES deployments(id), config TEXT NOT NULL,
                    created_at TEXT NOT NULL, PRIMARY KEY (function, version));
                CREATE INDEX IF NOT EXISTS versions_by_deployment ON versions(deployment_id);
                """,
            Postgres: """
                CREATE TABLE IF NOT EXISTS deployments (
                    id text PRIMARY KEY, repository text NOT NULL, ref text, commit_sha text, status text NOT NULL,
                    error text, log text NOT NULL DEFAULT '', created_at timestamptz NOT NULL, finished_at timestamptz);
                CREATE TABLE IF NOT EXISTS functions (
                    name text PRIMARY KEY, repository text NOT NULL, live_version integer,
                    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
                CREATE TABLE IF NOT EXISTS versions (
                    function text NOT NULL REFERENCES functions(name), version integer NOT NULL, image text NOT NULL,
                    status text NOT NULL, deployment_id text NOT NULL REFERENCES deployments(id), config text NOT NULL,
                    created_at timestamptz NOT NULL, PRIMARY KEY (function, version));
                CREATE INDEX IF NOT EXISTS versions_by_deployment ON versions(deployment_id);
                """),

        // Fleet membership, and the revision that tells when every gateway serves a deploy.
        new(2, "gateways and the live revision",
            Sqlite: """
                CREATE TABLE IF NOT EXISTS gateways (
                    id TEXT PRIMARY KEY, address TEXT NOT NULL, max_containers INTEGER NOT NULL, max_memory_bytes INTEGER NOT NULL,
                    state TEXT NOT NULL, started_at TEXT NOT NULL, heartbeat_at TEXT NOT NULL, served_revision INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE IF NOT EXISTS live_revision (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL);
                INSERT INTO live_revision (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
                ALTER TABLE deployments ADD COLUMN revision INTEGER;
                """,
            Postgres: """
                CREATE TABLE IF NOT EXISTS gateways (
                    id text PRIMARY KEY, address text NOT NULL, max_containers integer NOT NULL, max_memory_bytes bigint NOT NULL,
                    state text NOT NULL, started_at timestamptz NOT NULL, heartbeat_at timestamptz NOT NULL, served_revision bigint NOT NULL DEFAULT 0);
                CREATE TABLE IF NOT EXISTS live_revision (id integer PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL);
                INSERT INTO live_revision (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
                ALTER TABLE deployments ADD COLUMN IF NOT EXISTS revision bigint;
                """),

        // API tokens of the builder: only each secret's SHA-256 is kept. A new table, so older gateways never see it.
        new(3, "api tokens",
            Sqlite: """
                CREATE TABLE IF NOT EXISTS api_tokens (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, scope TEXT NOT NULL, repositories TEXT NOT NULL DEFAULT '[]',
                    token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
                """,
            Postgres: """
                CREATE TABLE IF NOT EXISTS api_tokens (
                    id text PRIMARY KEY, name text NOT NULL, scope text NOT NULL, repositories text NOT NULL DEFAULT '[]',
                    token_hash text NOT NULL UNIQUE, created_at timestamptz NOT NULL, revoked_at timestamptz);
                """),

        // Keys of functions that are not public, as SHA-256 of their secrets; gateways load them with the function table.
        new(4, "function keys",
            Sqlite: """
                CREATE TABLE IF NOT EXISTS function_keys (
                    id TEXT PRIMARY KEY, function TEXT NOT NULL, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL, revoked_at TEXT);
                CREATE INDEX IF NOT EXISTS function_keys_by_function ON function_keys(function);
                """,
            Postgres: """
                CREATE TABLE IF NOT EXISTS function_keys (
                    id text PRIMARY KEY, function text NOT NULL, name text NOT NULL, key_hash text NOT NULL UNIQUE,
                    created_at timestamptz NOT NULL, revoked_at timestamptz);
                CREATE INDEX IF NOT EXISTS function_keys_by_function ON function_keys(function);
                """),

        // Lifecycle: what each version was built from (so a deploy of the same thing makes no new version), what an
        // unchanged deploy pointed at, and deletion, which frees a name while its history stays readable.
        new(5, "version sources, unchanged deploys and deletion",
            Sqlite: """
                ALTER TABLE versions ADD COLUMN source_key TEXT;
                ALTER TABLE versions ADD COLUMN deleted_at TEXT;
                ALTER TABLE functions ADD COLUMN deleted_at TEXT;
                ALTER TABLE deployments ADD COLUMN unchanged TEXT;
                """,
            Postgres: """
                ALTER TABLE versions ADD COLUMN IF NOT EXISTS source_key text;
                ALTER TABLE versions ADD COLUMN IF NOT EXISTS deleted_at timestamptz;
                ALTER TABLE functions ADD COLUMN IF NOT EXISTS deleted_at timestamptz;
                ALTER TABLE deployments ADD COLUMN IF NOT EXISTS unchanged text;
                """),

        // Config without a redeploy: each function's env overrides (a null value unsets a manifest's variable) and its
        // secrets, encrypted (AES-GCM, base64 columns); and what change made a deployment that built nothing.
        new(6, "env overrides, secrets and config changes",
            Sqlite: """
                CREATE TABLE IF NOT EXISTS function_env (
                    function TEXT NOT NULL, name TEXT NOT NULL, value TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (function, name));
                CREATE TABLE IF NOT EXISTS function_secrets (
                    function TEXT NOT NULL, name TEXT NOT NULL, ciphertext TEXT NOT NULL, nonce TEXT NOT NULL, tag TEXT NOT NULL,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (function, name));
                ALTER TABLE deployments ADD COLUMN config_change TEXT;
                """,
            Postgres: """
                CREATE TABLE IF NOT EXISTS function_env (
                    function text NOT NULL, name text NOT NULL, value text, updated_at timestamptz NOT NULL, PRIMARY KEY (function, name));
                CREATE TABLE IF NOT EXISTS function_secrets (
                    function text NOT NULL, name text NOT NULL, ciphertext text NOT NULL, nonce text NOT NULL, tag text NOT NULL,
                    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (function, name));
                ALTER TABLE deployments ADD COLUMN IF NOT EXISTS config_change text;
                """),

        // Named aliases and weighted (canary) targets, {"version": weight} as JSON. functions.live_version stays the truth
        // for a single live version, which the previous release's gateways read; a weighted live keeps its split here.
        new(7, "aliases",
            Sqlite: """
                CREATE TABLE IF NOT EXISTS aliases (
                    function TEXT NOT NULL, name TEXT NOT NULL, weights TEXT NOT NULL, updated_at TEXT NOT NULL,
                    PRIMARY KEY (function, name));
                """,
            Postgres: """
                CREATE TABLE IF NOT EXISTS aliases (
                    function text NOT NULL, name text NOT NULL, weights text NOT NULL, updated_at timestamptz NOT NULL,
                    PRIMARY KEY (function, name));
                """),

        // The audit log of control-plane actions. A new table only, which nothing of the previous release reads or writes;
        // read newest first by id, trimmed by time.
        new(8, "audit log",
            Sqlite: """
                CREATE TABLE IF NOT EXISTS audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor_id TEXT, actor TEXT NOT NULL, source TEXT,
                    action TEXT NOT NULL, target TEXT, status INTEGER NOT NULL, outcome TEXT NOT NULL, detail TEXT);
                CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log(at);
                """,
            Postgres: """
                CREATE TABLE IF NOT EXISTS audit_log (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL, actor_id text, actor text NOT NULL,
                    source text, action text NOT NULL, target text, status integer NOT NULL, outcome text NOT NULL, detail text);
                CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log(at);
                """),

        // Garbage collection: when a version's image left the registry (it is then neither rollback's nor an alias's to
        // reach). A nullable column only: the previous release's code never names it and reads on.
        new(9, "collected version images",
            Sqlite: """
                ALTER TABLE versions ADD COLUMN image_removed_at TEXT;
                """,
            Postgres: """
                ALTER TABLE versions ADD COLUMN IF NOT EXISTS image_removed_at timestamptz;
                """),
    ];
}
