using System.Data.Common;
using System.Text.Json;
using Dapper;
using Epsilon.Core.Model;
using Epsilon.Core.Secrets;

namespace Epsilon.Core.Store;

/// <summary>Env overrides and secrets: each change a new version from the live one, made live in the same transaction.</summary>
internal abstract partial class RelationalFunctionStore
{
    public Task<ConfigChangeResult> ChangeEnvAsync(string function, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> unset,
        CancellationToken cancellationToken = default)
    {
        var parts = new List<string>(2);
        if (set.Count > 0)
        {
            parts.Add("env set " + string.Join(", ", set.Keys.Order(StringComparer.Ordinal)));
        }

        if (unset.Count > 0)
        {
            parts.Add("env unset " + string.Join(", ", unset.Order(StringComparer.Ordinal)));
        }

        return ChangeConfigAsync(function, string.Join("; ", parts),
            async (connection, transaction, now) =>
            {
                // An unset is kept as a null value, so the manifest's value of the variable stays removed after a redeploy.
                foreach (var (name, value) in set.Select(s => (s.Key, (string?)s.Value)).Concat(unset.Select(u => (u, (string?)null))))
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO function_env (function, name, value, updated_at) VALUES (@function, @name, @value, @now)
                        ON CONFLICT (function, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                        """,
                        new { function, name, value, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                return true;
            },
            config => config with { Env = Apply(config.Env, set.Select(s => new EnvOverride(s.Key, s.Value, default)).Concat(unset.Select(u => new EnvOverride(u, null, default)))) },
            cancellationToken);
    }

    public Task<ConfigChangeResult> SetSecretAsync(string function, string name, EncryptedSecret value, CancellationToken cancellationToken = default) =>
        ChangeConfigAsync(function, "secret set " + name,
            async (connection, transaction, now) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO function_secrets (function, name, ciphertext, nonce, tag, created_at, updated_at)
                    VALUES (@function, @name, @ciphertext, @nonce, @tag, @now, @now)
                    ON CONFLICT (function, name) DO UPDATE SET ciphertext = excluded.ciphertext, nonce = excluded.nonce, tag = excluded.tag,
                        updated_at = excluded.updated_at
                    """,
                    new
                    {
                        function, name, now, ciphertext = Convert.ToBase64String(value.Ciphertext), nonce = Convert.ToBase64String(value.Nonce),
                        tag = Convert.ToBase64String(value.Tag),
                    },
                    transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return true;
            },
            config => config with { Secrets = Names((config.Secrets ?? []).Append(name)) },
            cancellationToken);

    public Task<ConfigChangeResult> RemoveSecretAsync(string function, string name, CancellationToken cancellationToken = default) =>
        ChangeConfigAsync(function, "secret removed " + name,
            async (connection, transaction, _) => await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM function_secrets WHERE function = @function AND name = @name", new { function, name }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false) > 0,
            config => config with { Secrets = Names((config.Secrets ?? []).Where(s => s != name)) },
            cancellationToken);

    public async Task<IReadOnlyList<EnvOverride>> ListEnvOverridesAsync(string function, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ListEnvOverridesAsync(connection, null, function, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SecretInfo>> ListSecretsAsync(string function, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<SecretRow>(new CommandDefinition(
            "SELECT name, created_at AS CreatedAt, updated_at AS UpdatedAt FROM function_secrets WHERE function = @function ORDER BY name",
            new { function }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new SecretInfo(r.Name, ReadTime(r.CreatedAt), ReadTime(r.UpdatedAt))).ToList();
    }

    public async Task<IReadOnlyList<StoredSecret>> ListStoredSecretsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<StoredSecretRow>(new CommandDefinition(
            """
            SELECT s.function, s.name, s.ciphertext, s.nonce, s.tag
            FROM function_secrets s JOIN functions f ON f.name = s.function WHERE f.deleted_at IS NULL
            """, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new StoredSecret(r.Function, r.Name,
            new EncryptedSecret(Convert.FromBase64String(r.Ciphertext), Convert.FromBase64String(r.Nonce), Convert.FromBase64String(r.Tag)))).ToList();
    }

    /// <summary>
    /// Records <paramref name="change"/> and makes a new version from the live one with <paramref name="apply"/>'d config:
    /// same image and source, ready at once, made by a deployment of its own that names the change (never a value).
    /// </summary>
    /// <param name="record">Writes the override; false when there is nothing to change (a secret that does not exist).</param>
    private async Task<ConfigChangeResult> ChangeConfigAsync(string function, string change,
        Func<DbConnection, DbTransaction, object, Task<bool>> record, Func<FunctionConfig, FunctionConfig> apply, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The name's lock: deploys reserving versions of it take turns with this, so each sees the other's whole change.
        var repository = await connection.QueryScalarAsync<string>(new CommandDefinition(
            $"SELECT repository FROM functions WHERE name = @function AND deleted_at IS NULL{ForUpdate}", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (repository is null)
        {
            return new ConfigChangeResult(ConfigChangeOutcome.FunctionNotFound, null, null, null, 0);
        }

        // A building deploy's version was made without this change and would replace the version carrying it.
        var building = await connection.QueryScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM versions WHERE function = @function AND status = 'Building'", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var live = (await connection.QueryRowsAsync<LiveVersionRow>(new CommandDefinition(
            $"""
            SELECT {VersionColumns}, d.commit_sha AS CommitSha
            FROM functions f JOIN versions v ON v.function = f.name AND v.version = f.live_version JOIN deployments d ON d.id = v.deployment_id
            WHERE f.name = @function
            """, new { function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).SingleOrDefault();
        if (building > 0 || live is null)
        {
            return new ConfigChangeResult(building > 0 ? ConfigChangeOutcome.DeploymentRunning : ConfigChangeOutcome.NoLiveVersion,
                live is null ? null : (int)live.Version, null, null, 0);
        }

        if (!await record(connection, transaction, WriteTime(now)).ConfigureAwait(false))
        {
            return new ConfigChangeResult(ConfigChangeOutcome.SecretNotFound, (int)live.Version, null, null, 0);
        }

        var from = ToVersion(live);
        var number = 1 + await connection.QueryScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM versions WHERE function = @function", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var revision = await RaiseRevisionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var deploymentId = "d-" + Guid.NewGuid().ToString("N")[..16];
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO deployments (id, repository, commit_sha, status, log, created_at, finished_at, revision, config_change)
            VALUES (@deploymentId, @repository, @commit, @status, @log, @now, @now, @revision, @change)
            """,
            new
            {
                deploymentId, repository, commit = live.CommitSha, status = nameof(DeploymentStatus.Ready), now = WriteTime(now), revision, change,
                log = $"{change}: v{number} made from v{from.Version} (same image) and made live\n",
            },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO versions (function, version, image, status, deployment_id, config, created_at, source_key)
            VALUES (@function, @number, @Image, @status, @deploymentId, @config, @now, @SourceKey)
            """,
            new
            {
                function, number, from.Image, status = nameof(VersionStatus.Ready), deploymentId, now = WriteTime(now),
                // The source it was built from is unchanged, so a redeploy of the same commit still makes no new version.
                from.SourceKey, config = JsonSerializer.Serialize(apply(from.Config), StoreJsonContext.Default.FunctionConfig),
            },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE functions SET live_version = @number, updated_at = @now WHERE name = @function",
            new { number, now = WriteTime(now), function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        // Moving live by a configuration change ends a canary split, as a deploy or a rollback does.
        await EndLiveSplitAsync(connection, transaction, function, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ConfigChangeResult(ConfigChangeOutcome.Done, from.Version, number, deploymentId, revision) { Change = change };
    }

    /// <summary><paramref name="config"/> from a manifest with the function's env overrides and secrets' names added.</summary>
    private async Task<FunctionConfig> WithOverridesAsync(DbConnection connection, DbTransaction transaction, string function, FunctionConfig config,
        CancellationToken cancellationToken)
    {
        var overrides = await ListEnvOverridesAsync(connection, transaction, function, cancellationToken).ConfigureAwait(false);
        var secrets = await connection.QueryRowsAsync<string>(new CommandDefinition(
            "SELECT name FROM function_secrets WHERE function = @function", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return overrides.Count == 0 && secrets.Count == 0 ? config : config with { Env = Apply(config.Env, overrides), Secrets = Names(secrets) };
    }

    private async Task<IReadOnlyList<EnvOverride>> ListEnvOverridesAsync(DbConnection connection, DbTransaction? transaction, string function,
        CancellationToken cancellationToken)
    {
        var rows = await connection.QueryRowsAsync<EnvOverrideRow>(new CommandDefinition(
            "SELECT name, value, updated_at AS UpdatedAt FROM function_env WHERE function = @function ORDER BY name", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new EnvOverride(r.Name, r.Value, ReadTime(r.UpdatedAt))).ToList();
    }

    private static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> env, IEnumerable<EnvOverride> overrides)
    {
        var result = new Dictionary<string, string>(env, StringComparer.Ordinal);
        foreach (var change in overrides)
        {
            if (change.Value is null)
            {
                result.Remove(change.Name);
            }
            else
            {
                result[change.Name] = change.Value;
            }
        }

        return result;
    }

    private static List<string>? Names(IEnumerable<string> names)
    {
        var list = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : list;
    }

    private sealed class LiveVersionRow : VersionRow
    {
        public string? CommitSha { get; set; }
    }

    private sealed class EnvOverrideRow
    {
        public string Name { get; set; } = "";
        public string? Value { get; set; }
        public object UpdatedAt { get; set; } = "";
    }

    private sealed class SecretRow
    {
        public string Name { get; set; } = "";
        public object CreatedAt { get; set; } = "";
        public object UpdatedAt { get; set; } = "";
    }

    private sealed class StoredSecretRow
    {
        public string Function { get; set; } = "";
        public string Name { get; set; } = "";
        public string Ciphertext { get; set; } = "";
        public string Nonce { get; set; } = "";
        public string Tag { get; set; } = "";
    }
}
