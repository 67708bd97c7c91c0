using Epsilon.Core.Store;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Epsilon.Core.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Store.PreviousRelease;

/// <summary>
/// The SQLite store exactly as the release before schema migrations shipped it (commit 3c7ecee, renamed), kept to prove
/// that its code still runs on the current schema: gateways of two releases share a store during an upgrade.
/// </summary>
internal sealed class PreviousReleaseSqliteStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
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
        """;

    private const string VersionColumns = "v.function, v.version, v.image, v.status, v.deployment_id AS DeploymentId, v.config, v.created_at AS CreatedAt";

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;

    public PreviousReleaseSqliteStore(IOptions<StoreOptions> options, TimeProvider timeProvider)
    {
        var path = options.Value.Path;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();
        _timeProvider = timeProvider;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(Schema, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
            new { deployment.Id, deployment.Repository, deployment.Ref, Status = deployment.Status.ToString(), CreatedAt = Format(deployment.CreatedAt) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return deployment;
    }

    public async Task<IReadOnlyList<FunctionVersion>> ReserveVersionsAsync(string deploymentId, string repository,
        IReadOnlyList<KeyValuePair<string, FunctionConfig>> functions, Func<string, int, string> imageFor,
        CancellationToken cancellationToken = default)
    {
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        var versions = new List<FunctionVersion>(functions.Count);
        foreach (var (function, config) in functions)
        {
            var owner = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT repository FROM functions WHERE name = @function", new { function }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (owner is null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO functions (name, repository, created_at, updated_at) VALUES (@function, @repository, @now, @now)",
                    new { function, repository, now = Format(now) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            else if (!string.Equals(owner, repository, StringComparison.Ordinal))
            {
                throw new FunctionNameTakenException(function, owner);
            }

            var number = 1 + await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE function = @function", new { function }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var version = new FunctionVersion
            {
                Function = function,
                Version = number,
                Image = imageFor(function, number),
                Status = VersionStatus.Building,
                DeploymentId = deploymentId,
                Config = config,
                CreatedAt = now,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO versions (function, version, image, status, deployment_id, config, created_at)
                VALUES (@Function, @Version, @Image, @Status, @DeploymentId, @Config, @CreatedAt)
                """,
                new
                {
                    version.Function, version.Version, version.Image, Status = version.Status.ToString(), version.DeploymentId,
                    Config = JsonSerializer.Serialize(config, StoreJsonContext.Default.FunctionConfig), CreatedAt = Format(now),
                },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            versions.Add(version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return versions;
    }

    public async Task CompleteDeploymentAsync(string deploymentId, bool succeeded, string? commit, string? error, string log,
        CancellationToken cancellationToken = default)
    {
        var now = Format(Now());
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        var status = succeeded ? VersionStatus.Ready : VersionStatus.Failed;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE versions SET status = @status WHERE deployment_id = @deploymentId",
            new { status = status.ToString(), deploymentId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (succeeded)
        {
            // A slower, older deploy finishing last must not move live backwards.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE functions SET live_version = v.version, updated_at = @now
                FROM versions v
                WHERE v.function = functions.name AND v.deployment_id = @deploymentId
                  AND (functions.live_version IS NULL OR functions.live_version < v.version)
                """,
                new { deploymentId, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE deployments SET status = @status, commit_sha = @commit, error = @error, log = @log, finished_at = @now
            WHERE id = @deploymentId
            """,
            new { status = (succeeded ? DeploymentStatus.Ready : DeploymentStatus.Failed).ToString(), commit, error, log, now, deploymentId },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> FailInterruptedDeploymentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE versions SET status = 'Failed' WHERE status = 'Building'", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var count = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deployments SET status = 'Failed', error = 'the builder stopped while this deployment was running', finished_at = @now WHERE status = 'Building'",
            new { now = Format(Now()) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    public async Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<DeploymentRow>(new CommandDefinition(
            """
            SELECT id, repository, ref, commit_sha AS CommitSha, status, error, log, created_at AS CreatedAt, finished_at AS FinishedAt
            FROM deployments WHERE id = @id
            """, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var functions = await connection.QueryAsync<DeployedFunctionRow>(new CommandDefinition(
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
            CreatedAt = Parse(row.CreatedAt),
            FinishedAt = row.FinishedAt is null ? null : Parse(row.FinishedAt),
            Functions = functions.Select(f => new DeployedFunction(f.Function, (int)f.Version, f.Image)).ToList(),
        };
    }

    public async Task<IReadOnlyList<FunctionInfo>> ListFunctionsAsync(CancellationToken cancellationToken = default) =>
        await QueryFunctionsAsync("WHERE f.live_version IS NOT NULL", null, cancellationToken).ConfigureAwait(false);

    public async Task<FunctionInfo?> GetFunctionAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryFunctionsAsync("WHERE f.name = @name", new { name }, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<FunctionVersion>> ListLiveVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<VersionRow>(new CommandDefinition(
            $"SELECT {VersionColumns} FROM functions f JOIN versions v ON v.function = f.name AND v.version = f.live_version",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToVersion).ToList();
    }

    private async Task<IReadOnlyList<FunctionInfo>> QueryFunctionsAsync(string where, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<FunctionRow, VersionRow?, FunctionInfo>(new CommandDefinition(
            $"""
            SELECT f.name, f.repository, f.created_at AS CreatedAt, {VersionColumns}
            FROM functions f LEFT JOIN versions v ON v.function = f.name AND v.version = f.live_version
            {where} ORDER BY f.name
            """, parameters, cancellationToken: cancellationToken),
            (function, version) => new FunctionInfo
            {
                Name = function.Name,
                Repository = function.Repository,
                CreatedAt = Parse(function.CreatedAt),
                Live = version?.Image is null ? null : ToVersion(version),
            },
            splitOn: "function").ConfigureAwait(false);
        return rows.ToList();
    }

    private static FunctionVersion ToVersion(VersionRow row) => new()
    {
        Function = row.Function,
        Version = (int)row.Version,
        Image = row.Image,
        Status = Enum.Parse<VersionStatus>(row.Status),
        DeploymentId = row.DeploymentId,
        Config = JsonSerializer.Deserialize(row.Config, StoreJsonContext.Default.FunctionConfig)
            ?? throw new InvalidDataException($"version {row.Function}:v{row.Version} has no configuration"),
        CreatedAt = Parse(row.CreatedAt),
    };

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private DateTimeOffset Now() => _timeProvider.GetUtcNow();

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private sealed record DeploymentRow(string Id, string Repository, string? Ref, string? CommitSha, string Status, string? Error, string Log,
        string CreatedAt, string? FinishedAt);

    private sealed record DeployedFunctionRow(string Function, long Version, string Image);

    private sealed record FunctionRow(string Name, string Repository, string CreatedAt);

    private sealed record VersionRow(string Function, long Version, string Image, string Status, string DeploymentId, string Config, string CreatedAt);
}
