using System.Data.Common;
using System.Text.Json;
using Dapper;
using Epsilon.Core.Model;
using Epsilon.Core.Store.Migrations;

namespace Epsilon.Core.Store;

/// <summary>
/// The store's queries, written once in the SQL that SQLite and PostgreSQL share; each database's class supplies its
/// connections, how it keeps time, its locks and its migration steps.
/// </summary>
internal abstract partial class RelationalFunctionStore(TimeProvider timeProvider)
    : IFunctionStore, IFleetStore, IApiTokenStore, IFunctionKeyStore, IFunctionConfigStore, IAuditStore, IAliasStore, IGarbageStore
{
    /// <summary>A version's status, or 'Deleted' or <see cref="CollectedState"/> when nothing can run it any more.</summary>
    private const string VersionState =
        "CASE WHEN deleted_at IS NOT NULL THEN 'Deleted' WHEN image_removed_at IS NOT NULL THEN '" + CollectedState + "' ELSE status END";

    private const string CollectedState = "Collected";

    private const string VersionColumns = "v.function, v.version, v.image, v.status, v.deployment_id AS DeploymentId, v.config, v.created_at AS CreatedAt, v.source_key AS SourceKey, v.deleted_at AS DeletedAt, v.image_removed_at AS ImageRemovedAt";

    /// <summary>Opens a connection (from the pool).</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Starts the transaction migrations run in, holding the lock that keeps two processes from migrating at once.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The step written for this database.</summary>
    protected abstract string MigrationSql(SchemaMigration migration);

    /// <summary>A timestamp as this database stores it.</summary>
    protected abstract object WriteTime(DateTimeOffset value);

    /// <summary>A timestamp as this database returns it.</summary>
    protected abstract DateTimeOffset ReadTime(object value);

    /// <summary>What locks a selected row until the transaction ends (empty where the transaction already holds the database).</summary>
    protected abstract string ForUpdate { get; }

    /// <summary>Applies the schema steps this database lacks, in one transaction, one process at a time.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            $"CREATE TABLE IF NOT EXISTS {SchemaMigrations.HistoryTable} (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)",
            transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var applied = (await connection.QueryRowsAsync<long>(new CommandDefinition(
            $"SELECT version FROM {SchemaMigrations.HistoryTable}", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToHashSet();

        // Steps beyond the last this code knows were added by a newer release; they only add, so this code runs on.
        foreach (var migration in SchemaMigrations.All.Where(m => !applied.Contains(m.Version)))
        {
            await connection.ExecuteAsync(new CommandDefinition(MigrationSql(migration), transaction: transaction, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {SchemaMigrations.HistoryTable} (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = Now().ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Deployment> CreateDeploymentAsync(string repository, string? gitRef, CancellationToken cancellationToken = default)
    {
        var deployment = new Deployment
        {
            Id = "d-" + Guid.NewGuid().ToString("N")[..16],
            Repository = repository,
            Ref = gitRef,
            Status = DeploymentStatus.Building,
            CreatedAt = Now(),
        };
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO deployments (id, repository, ref, status, created_at) VALUES (@Id, @Repository, @Ref, @Status, @CreatedAt)",
            new { deployment.Id, deployment.Repository, deployment.Ref, Status = deployment.Status.ToString(), CreatedAt = WriteTime(deployment.CreatedAt) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return deployment;
    }

    public async Task<IReadOnlyList<FunctionVersion>> ReserveVersionsAsync(string deploymentId, string repository,
        IReadOnlyList<KeyValuePair<string, FunctionConfig>> functions, Func<string, int, string> imageFor,
        IReadOnlyDictionary<string, string>? sourceKeys = null, CancellationToken cancellationToken = default)
    {
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<FunctionVersion>(functions.Count);
        foreach (var (function, config) in functions)
        {
            // Claim the name if free, then lock its row: two deploys racing for a name or a version number take turns.
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO functions (name, repository, created_at, updated_at) VALUES (@function, @repository, @now, @now) ON CONFLICT (name) DO NOTHING",
                new { function, repository, now = WriteTime(now) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            // A deleted name (or one only a failed first deploy held) goes to whoever claims it next; its version numbers
            // go on, so no image tag of its past is ever reused. It starts with no alias, even one a builder of the
            // previous release left when it deleted the function.
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM aliases WHERE function = @function AND EXISTS (SELECT 1 FROM functions WHERE name = @function AND deleted_at IS NOT NULL)",
                new { function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE functions SET repository = @repository, deleted_at = NULL, created_at = @now, updated_at = @now WHERE name = @function AND deleted_at IS NOT NULL",
                new { function, repository, now = WriteTime(now) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var owner = await connection.QueryScalarAsync<string>(new CommandDefinition(
                $"SELECT repository FROM functions WHERE name = @function{ForUpdate}", new { function }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (!string.Equals(owner, repository, StringComparison.Ordinal))
            {
                throw new FunctionNameTakenException(function, owner ?? "");
            }

            // Env set or secrets added without a redeploy outlive it: read under the name's lock, which a change takes too.
            var effective = await WithOverridesAsync(connection, transaction, function, config, cancellationToken).ConfigureAwait(false);

            var number = 1 + await connection.QueryScalarAsync<int>(new CommandDefinition(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE function = @function", new { function }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var version = new FunctionVersion
            {
                Function = function,
                Version = number,
                Image = imageFor(function, number),
                Status = VersionStatus.Building,
                DeploymentId = deploymentId,
                Config = effective,
                CreatedAt = now,
                SourceKey = sourceKeys?.GetValueOrDefault(function),
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO versions (function, version, image, status, deployment_id, config, created_at, source_key)
                VALUES (@Function, @Version, @Image, @Status, @DeploymentId, @Config, @CreatedAt, @SourceKey)
                """,
                new
                {
                    version.Function, version.Version, version.Image, Status = version.Status.ToString(), version.DeploymentId, version.SourceKey,
                    Config = JsonSerializer.Serialize(effective, StoreJsonContext.Default.FunctionConfig), CreatedAt = WriteTime(now),
                },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            versions.Add(version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return versions;
    }

    public async Task<long> CompleteDeploymentAsync(string deploymentId, bool succeeded, string? commit, string? error, string log,
        CancellationToken cancellationToken = default)
    {
        long revision = 0;
        var now = WriteTime(Now());
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var status = succeeded ? VersionStatus.Ready : VersionStatus.Failed;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE versions SET status = @status WHERE deployment_id = @deploymentId",
            new { status = status.ToString(), deploymentId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (succeeded)
        {
            // A slower, older deploy finishing last must not move live backwards. One that moves it ends a canary split.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM aliases WHERE name = @live AND function IN (
                    SELECT f.name FROM functions f JOIN versions v ON v.function = f.name
                    WHERE v.deployment_id = @deploymentId AND f.deleted_at IS NULL AND (f.live_version IS NULL OR f.live_version < v.version))
                """,
                new { deploymentId, live = AliasName.Live }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE functions SET live_version = v.version, updated_at = @now
                FROM versions v
                WHERE v.function = functions.name AND v.deployment_id = @deploymentId AND functions.deleted_at IS NULL
                  AND (functions.live_version IS NULL OR functions.live_version < v.version)
                """,
                new { deploymentId, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            revision = await RaiseRevisionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A first deploy that failed must not keep its names from another repository: a name that never had a
            // version other than failed ones is free again (its failed versions stay in its history).
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE functions SET deleted_at = @now, updated_at = @now
                WHERE deleted_at IS NULL AND live_version IS NULL
                  AND name IN (SELECT function FROM versions WHERE deployment_id = @deploymentId)
                  AND NOT EXISTS (SELECT 1 FROM versions o WHERE o.function = functions.name AND o.status <> 'Failed')
                """,
                new { deploymentId, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE deployments SET status = @status, commit_sha = @commit, error = @error, log = @log, finished_at = @now,
                revision = @revision
            WHERE id = @deploymentId
            """,
            new
            {
                status = (succeeded ? DeploymentStatus.Ready : DeploymentStatus.Failed).ToString(), commit, error, log, now,
                revision = succeeded ? revision : (long?)null, deploymentId,
            },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return revision;
    }

    /// <summary>Raises the live revision and signals it when <paramref name="transaction"/> commits.</summary>
    private async Task<long> RaiseRevisionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // The row lock serializes deploys completing at once: each gets its own revision, in commit order.
        var revision = await connection.QueryScalarAsync<long>(new CommandDefinition(
            "UPDATE live_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision",
            transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await SignalAsync(connection, transaction, StoreSignal.RevisionChanged, cancellationToken).ConfigureAwait(false);
        return revision;
    }

    public async Task CompleteUnchangedDeploymentAsync(string deploymentId, string? commit, string log, IReadOnlyList<DeployedFunction> unchanged,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE deployments SET status = @status, commit_sha = @commit, log = @log, finished_at = @now, unchanged = @unchanged
            WHERE id = @deploymentId
            """,
            new
            {
                status = DeploymentStatus.Ready.ToString(), commit, log, now = WriteTime(Now()), deploymentId,
                unchanged = JsonSerializer.Serialize(unchanged.ToList(), StoreJsonContext.Default.ListDeployedFunction),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<VersionEntry>> ListVersionsAsync(string function, bool includeDeleted, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<VersionHistoryRow>(new CommandDefinition(
            $"""
            SELECT {VersionColumns}, d.commit_sha AS CommitSha, CASE WHEN f.live_version = v.version THEN 1 ELSE 0 END AS IsLive,
                d.config_change AS ConfigChange
            FROM versions v JOIN functions f ON f.name = v.function JOIN deployments d ON d.id = v.deployment_id
            WHERE v.function = @function {(includeDeleted ? "" : "AND v.deleted_at IS NULL")}
            ORDER BY v.version DESC
            """, new { function }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new VersionEntry { Version = ToVersion(r), Commit = r.CommitSha, Live = r.IsLive != 0, Change = r.ConfigChange }).ToList();
    }

    public async Task<RollbackResult> RollbackAsync(string function, int? version, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var exists = await connection.QueryScalarAsync<long>(new CommandDefinition(
            $"SELECT 1 FROM functions WHERE name = @function AND deleted_at IS NULL{ForUpdate}", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (exists == 0)
        {
            return new RollbackResult(RollbackOutcome.FunctionNotFound, null, version, 0);
        }

        var live = await connection.QueryScalarAsync<long?>(new CommandDefinition(
            "SELECT live_version FROM functions WHERE name = @function", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var from = live is null ? (int?)null : (int)live.Value;
        int target;
        if (version is { } asked)
        {
            var status = await connection.QueryScalarAsync<string>(new CommandDefinition(
                $"SELECT {VersionState} FROM versions WHERE function = @function AND version = @asked",
                new { function, asked }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (status is null)
            {
                return new RollbackResult(RollbackOutcome.VersionNotFound, from, asked, 0);
            }

            if (status == CollectedState)
            {
                return new RollbackResult(RollbackOutcome.ImageCollected, from, asked, 0);
            }

            if (status != nameof(VersionStatus.Ready))
            {
                return new RollbackResult(RollbackOutcome.VersionNotReady, from, asked, 0);
            }

            if (asked == from)
            {
                return new RollbackResult(RollbackOutcome.AlreadyLive, from, asked, 0);
            }

            target = asked;
        }
        else
        {
            var previous = from is null ? 0 : await connection.QueryScalarAsync<long>(new CommandDefinition(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE function = @function AND version < @from AND status = 'Ready' AND deleted_at IS NULL AND image_removed_at IS NULL",
                new { function, from }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (previous == 0)
            {
                return new RollbackResult(RollbackOutcome.NoPreviousVersion, from, null, 0);
            }

            target = (int)previous;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE functions SET live_version = @target, updated_at = @now WHERE name = @function",
            new { target, now = WriteTime(Now()), function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await EndLiveSplitAsync(connection, transaction, function, cancellationToken).ConfigureAwait(false);
        var revision = await RaiseRevisionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RollbackResult(RollbackOutcome.Done, from, target, revision);
    }

    public async Task<DeletedFunction?> DeleteFunctionAsync(string function, CancellationToken cancellationToken = default)
    {
        var now = WriteTime(Now());
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE functions SET live_version = NULL, deleted_at = @now, updated_at = @now WHERE name = @function AND deleted_at IS NULL",
            new { function, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (deleted == 0)
        {
            return null;
        }

        // Versions made by env and secret changes share their source version's image: each image once.
        var images = await connection.QueryRowsAsync<string>(new CommandDefinition(
            "SELECT image FROM versions WHERE function = @function AND deleted_at IS NULL GROUP BY image ORDER BY MIN(version)", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE versions SET deleted_at = @now WHERE function = @function AND deleted_at IS NULL",
            new { function, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        // Its aliases go with it: a name claimed again starts with none.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM aliases WHERE function = @function", new { function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        // Its keys go with it: a repository that later takes the freed name must not inherit who may call it.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE function_keys SET revoked_at = @now WHERE function = @function AND revoked_at IS NULL",
            new { function, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        // So do its env overrides and secrets.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM function_env WHERE function = @function", new { function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM function_secrets WHERE function = @function", new { function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var revision = await RaiseRevisionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new DeletedFunction(function, images, revision);
    }

    public async Task RegisterGatewayAsync(GatewayMember member, CancellationToken cancellationToken = default)
    {
        var now = WriteTime(Now());
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO gateways (id, address, max_containers, max_memory_bytes, state, started_at, heartbeat_at, served_revision)
            VALUES (@Id, @Address, @MaxContainers, @MaxMemoryBytes, @State, @now, @now, @ServedRevision)
            ON CONFLICT (id) DO UPDATE SET address = excluded.address, max_containers = excluded.max_containers,
                max_memory_bytes = excluded.max_memory_bytes, state = excluded.state, started_at = excluded.started_at,
                heartbeat_at = excluded.heartbeat_at, served_revision = excluded.served_revision
            """,
            new { member.Id, member.Address, member.MaxContainers, member.MaxMemoryBytes, State = member.State.ToString(), now, member.ServedRevision },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<bool> HeartbeatAsync(string id, GatewayState state, long servedRevision, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE gateways SET heartbeat_at = @now, state = @state, served_revision = @servedRevision WHERE id = @id",
            new { now = WriteTime(Now()), state = state.ToString(), servedRevision, id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated > 0;
    }

    public async Task DeregisterGatewayAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM gateways WHERE id = @id", new { id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<GatewayMember>> ListGatewaysAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<GatewayRow>(new CommandDefinition(
            """
            SELECT id, address, max_containers AS MaxContainers, max_memory_bytes AS MaxMemoryBytes, state,
                started_at AS StartedAt, heartbeat_at AS HeartbeatAt, served_revision AS ServedRevision
            FROM gateways ORDER BY id
            """, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new GatewayMember
        {
            Id = r.Id,
            Address = r.Address,
            MaxContainers = (int)r.MaxContainers,
            MaxMemoryBytes = r.MaxMemoryBytes,
            State = Enum.Parse<GatewayState>(r.State),
            StartedAt = ReadTime(r.StartedAt),
            HeartbeatAt = ReadTime(r.HeartbeatAt),
            ServedRevision = r.ServedRevision,
        }).ToList();
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryScalarAsync<long>(new CommandDefinition("SELECT revision FROM live_revision WHERE id = 1",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public abstract Task<bool> WaitForSignalAsync(StoreSignal signal, TimeSpan timeout, CancellationToken cancellationToken = default);

    public async Task SignalAsync(StoreSignal signal, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await SignalAsync(connection, null, signal, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Raises <paramref name="signal"/> on <paramref name="connection"/>, when <paramref name="transaction"/> commits if one is given.</summary>
    protected abstract Task SignalAsync(DbConnection connection, DbTransaction? transaction, StoreSignal signal, CancellationToken cancellationToken);

    public async Task<int> FailInterruptedDeploymentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE versions SET status = 'Failed' WHERE status = 'Building'", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var count = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deployments SET status = 'Failed', error = 'the builder stopped while this deployment was running', finished_at = @now WHERE status = 'Building'",
            new { now = WriteTime(Now()) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    public async Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = (await connection.QueryRowsAsync<DeploymentRow>(new CommandDefinition(
            """
            SELECT id, repository, ref, commit_sha AS CommitSha, status, error, log, created_at AS CreatedAt, finished_at AS FinishedAt,
                unchanged AS Unchanged
            FROM deployments WHERE id = @id
            """, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false)).SingleOrDefault();
        if (row is null)
        {
            return null;
        }

        var functions = await connection.QueryRowsAsync<DeployedFunctionRow>(new CommandDefinition(
            "SELECT function, version, image FROM versions WHERE deployment_id = @id ORDER BY function", new { id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new Deployment
        {
            Id = row.Id,
            Repository = row.Repository,
            Ref = row.Ref,
            Commit = row.CommitSha,
            Status = Enum.Parse<DeploymentStatus>(row.Status),
            Error = row.Error,
            Log = row.Log,
            CreatedAt = ReadTime(row.CreatedAt),
            FinishedAt = row.FinishedAt is null ? null : ReadTime(row.FinishedAt),
            Functions = functions.Select(f => new DeployedFunction(f.Function, (int)f.Version, f.Image))
                .Concat(row.Unchanged is null ? [] : JsonSerializer.Deserialize(row.Unchanged, StoreJsonContext.Default.ListDeployedFunction) ?? [])
                .OrderBy(f => f.Name, StringComparer.Ordinal).ToList(),
        };
    }

    public async Task<IReadOnlyList<FunctionInfo>> ListFunctionsAsync(CancellationToken cancellationToken = default) =>
        await QueryFunctionsAsync("WHERE f.live_version IS NOT NULL", null, cancellationToken).ConfigureAwait(false);

    public async Task<FunctionInfo?> GetFunctionAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryFunctionsAsync("WHERE f.name = @name AND f.deleted_at IS NULL", new { name }, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<FunctionVersion>> ListLiveVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<VersionRow>(new CommandDefinition(
            $"SELECT {VersionColumns} FROM functions f JOIN versions v ON v.function = f.name AND v.version = f.live_version",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToVersion).ToList();
    }

    private async Task<IReadOnlyList<FunctionInfo>> QueryFunctionsAsync(string where, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<FunctionRow, VersionRow, FunctionInfo>(new CommandDefinition(
            $"""
            SELECT f.name, f.repository, f.created_at AS CreatedAt, {VersionColumns}
            FROM functions f LEFT JOIN versions v ON v.function = f.name AND v.version = f.live_version
            {where} ORDER BY f.name
            """, parameters, cancellationToken: cancellationToken),
            (function, version) => new FunctionInfo
            {
                Name = function.Name,
                Repository = function.Repository,
                CreatedAt = ReadTime(function.CreatedAt),
                Live = version?.Image is null ? null : ToVersion(version),
            },
            splitOn: "function").ConfigureAwait(false);
        return rows.ToList();
    }

    private FunctionVersion ToVersion(VersionRow row) => new()
    {
        Function = row.Function,
        Version = (int)row.Version,
        Image = row.Image!,
        Status = Enum.Parse<VersionStatus>(row.Status),
        DeploymentId = row.DeploymentId,
        Config = JsonSerializer.Deserialize(row.Config, StoreJsonContext.Default.FunctionConfig)
            ?? throw new InvalidDataException($"version {row.Function}:v{row.Version} has no configuration"),
        CreatedAt = ReadTime(row.CreatedAt),
        SourceKey = row.SourceKey,
        DeletedAt = row.DeletedAt is null ? null : ReadTime(row.DeletedAt),
        ImageRemovedAt = row.ImageRemovedAt is null ? null : ReadTime(row.ImageRemovedAt),
    };

    /// <summary>Now, from the injected clock, to the microsecond: what PostgreSQL keeps, so a value written reads back equal.</summary>
    protected DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    // Rows with settable properties, not positional records: Dapper binds a constructor only on exact column types, and
    // each database has its own (timestamps are text in SQLite and DateTime in PostgreSQL, both read through ReadTime).
    private sealed class DeploymentRow
    {
        public string Id { get; set; } = "";
        public string Repository { get; set; } = "";
        public string? Ref { get; set; }
        public string? CommitSha { get; set; }
        public string Status { get; set; } = "";
        public string? Error { get; set; }
        public string Log { get; set; } = "";
        public object CreatedAt { get; set; } = "";
        public object? FinishedAt { get; set; }
        public string? Unchanged { get; set; }
    }

    private sealed class GatewayRow
    {
        public string Id { get; set; } = "";
        public string Address { get; set; } = "";
        public long MaxContainers { get; set; }
        public long MaxMemoryBytes { get; set; }
        public string State { get; set; } = "";
        public object StartedAt { get; set; } = "";
        public object HeartbeatAt { get; set; } = "";
        public long ServedRevision { get; set; }
    }

    private sealed class DeployedFunctionRow
    {
        public string Function { get; set; } = "";
        public long Version { get; set; }
        public string Image { get; set; } = "";
    }

    private sealed class FunctionRow
    {
        public string Name { get; set; } = "";
        public string Repository { get; set; } = "";
        public object CreatedAt { get; set; } = "";
    }

    private class VersionRow
    {
        public string Function { get; set; } = "";
        public long Version { get; set; }
        public string? Image { get; set; }
        public string Status { get; set; } = "";
        public string DeploymentId { get; set; } = "";
        public string Config { get; set; } = "";
        public object CreatedAt { get; set; } = "";
        public string? SourceKey { get; set; }
        public object? DeletedAt { get; set; }
        public object? ImageRemovedAt { get; set; }
    }

    private sealed class VersionHistoryRow : VersionRow
    {
        public string? CommitSha { get; set; }
        public long IsLive { get; set; }
        public string? ConfigChange { get; set; }
    }
}
