using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>
/// Aliases and canary splits. <c>functions.live_version</c> stays the truth for a single live version (the previous
/// release's gateways read only it); a weighted <c>live</c> keeps its split in <c>aliases</c> and sets live_version to its
/// heaviest version, so those gateways serve that one meanwhile.
/// </summary>
internal abstract partial class RelationalFunctionStore
{
    public async Task<IReadOnlyList<FunctionAlias>> ListAliasesAsync(string? function, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<AliasRow>(new CommandDefinition(
            $"""
            SELECT a.function, a.name, a.weights, a.updated_at AS UpdatedAt
            FROM aliases a JOIN functions f ON f.name = a.function AND f.deleted_at IS NULL
            {(function is null ? "" : "WHERE a.function = @function")} ORDER BY a.function, a.name
            """, function is null ? null : new { function }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new FunctionAlias
        {
            Function = r.Function,
            Name = r.Name,
            Weights = ParseWeights(r.Weights),
            UpdatedAt = ReadTime(r.UpdatedAt),
        }).ToList();
    }

    public async Task<AliasResult> SetAliasAsync(string function, string alias, IReadOnlyDictionary<int, int> weights,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await FunctionExistsAsync(connection, transaction, function, cancellationToken).ConfigureAwait(false))
        {
            return new AliasResult(AliasOutcome.FunctionNotFound, null, 0);
        }

        foreach (var version in weights.Keys.Order())
        {
            var status = await connection.QueryScalarAsync<string>(new CommandDefinition(
                $"SELECT {VersionState} FROM versions WHERE function = @function AND version = @version",
                new { function, version }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (status is null)
            {
                return new AliasResult(AliasOutcome.VersionNotFound, version, 0);
            }

            if (status == CollectedState)
            {
                return new AliasResult(AliasOutcome.ImageCollected, version, 0);
            }

            if (status != nameof(VersionStatus.Ready))
            {
                return new AliasResult(AliasOutcome.VersionNotReady, version, 0);
            }
        }

        var now = WriteTime(Now());
        if (alias == AliasName.Live)
        {
            // Heaviest first, the newer on a tie: what gateways of the previous release serve alone.
            var primary = weights.OrderByDescending(w => w.Value).ThenByDescending(w => w.Key).First().Key;
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE functions SET live_version = @primary, updated_at = @now WHERE name = @function",
                new { primary, now, function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (weights.Count == 1)
            {
                await EndLiveSplitAsync(connection, transaction, function, cancellationToken).ConfigureAwait(false);
            }
        }

        if (alias != AliasName.Live || weights.Count > 1)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO aliases (function, name, weights, updated_at) VALUES (@function, @alias, @weights, @now)
                ON CONFLICT (function, name) DO UPDATE SET weights = excluded.weights, updated_at = excluded.updated_at
                """,
                new { function, alias, weights = WriteWeights(weights), now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var revision = await RaiseRevisionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AliasResult(AliasOutcome.Done, null, revision);
    }

    public async Task<AliasResult> DeleteAliasAsync(string function, string alias, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await FunctionExistsAsync(connection, transaction, function, cancellationToken).ConfigureAwait(false))
        {
            return new AliasResult(AliasOutcome.FunctionNotFound, null, 0);
        }

        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM aliases WHERE function = @function AND name = @alias", new { function, alias }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (deleted == 0)
        {
            return new AliasResult(AliasOutcome.AliasNotFound, null, 0);
        }

        var revision = await RaiseRevisionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AliasResult(AliasOutcome.Done, null, revision);
    }

    public async Task<FunctionVersion?> GetVersionAsync(string function, int version, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QueryScalarAsync<VersionRow>(new CommandDefinition(
            $"""
            SELECT {VersionColumns} FROM versions v JOIN functions f ON f.name = v.function AND f.deleted_at IS NULL
            WHERE v.function = @function AND v.version = @version AND v.status = 'Ready' AND v.deleted_at IS NULL AND v.image_removed_at IS NULL
            """, new { function, version }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : ToVersion(row);
    }

    public async Task<IReadOnlyList<int>> ListKeptVersionsAsync(string function, int rollbackWindow, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rollbackWindow);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var kept = await KeptVersionsAsync(connection, transaction, function, rollbackWindow, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return kept.ToList();
    }

    /// <summary>What <see cref="ListKeptVersionsAsync"/> answers, read in <paramref name="transaction"/>.</summary>
    private static async Task<SortedSet<int>> KeptVersionsAsync(DbConnection connection, DbTransaction transaction, string function, int rollbackWindow,
        CancellationToken cancellationToken)
    {
        var live = await connection.QueryScalarAsync<long?>(new CommandDefinition(
            "SELECT live_version FROM functions WHERE name = @function AND deleted_at IS NULL", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var kept = new SortedSet<int>();
        if (live is { } liveVersion)
        {
            kept.Add((int)liveVersion);
            // LIMIT is written the same in SQLite and PostgreSQL. A collected version is out of rollback's reach, so the
            // window counts only those it can still reach.
            var window = await connection.QueryRowsAsync<long>(new CommandDefinition(
                """
                SELECT version FROM versions
                WHERE function = @function AND version < @liveVersion AND status = 'Ready' AND deleted_at IS NULL AND image_removed_at IS NULL
                ORDER BY version DESC LIMIT @rollbackWindow
                """, new { function, liveVersion, rollbackWindow }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            kept.UnionWith(window.Select(v => (int)v));
        }

        var aliases = await connection.QueryRowsAsync<string>(new CommandDefinition(
            "SELECT weights FROM aliases WHERE function = @function", new { function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var weights in aliases)
        {
            kept.UnionWith(ParseWeights(weights).Keys);
        }

        return kept;
    }

    /// <summary>
    /// Ends a weighted live split: called wherever live_version is set to one version (a deploy, a rollback, a change of
    /// configuration that makes a new version), so the split never outlives the move that replaced it.
    /// </summary>
    private static Task EndLiveSplitAsync(DbConnection connection, DbTransaction transaction, string function, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM aliases WHERE function = @function AND name = @live", new { function, live = AliasName.Live }, transaction,
            cancellationToken: cancellationToken));

    private async Task<bool> FunctionExistsAsync(DbConnection connection, DbTransaction transaction, string function, CancellationToken cancellationToken) =>
        await connection.QueryScalarAsync<long>(new CommandDefinition(
            $"SELECT 1 FROM functions WHERE name = @function AND deleted_at IS NULL{ForUpdate}", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;

    private static string WriteWeights(IReadOnlyDictionary<int, int> weights) => JsonSerializer.Serialize(
        weights.OrderBy(w => w.Key).ToDictionary(w => w.Key.ToString(CultureInfo.InvariantCulture), w => w.Value),
        StoreJsonContext.Default.DictionaryStringInt32);

    private static SortedDictionary<int, int> ParseWeights(string json) => new(
        (JsonSerializer.Deserialize(json, StoreJsonContext.Default.DictionaryStringInt32) ?? [])
            .ToDictionary(w => int.Parse(w.Key, CultureInfo.InvariantCulture), w => w.Value));

    private sealed class AliasRow
    {
        public string Function { get; set; } = "";
        public string Name { get; set; } = "";
        public string Weights { get; set; } = "";
        public object UpdatedAt { get; set; } = "";
    }
}
