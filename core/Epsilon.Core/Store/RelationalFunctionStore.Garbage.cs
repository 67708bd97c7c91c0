using Dapper;
using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>Garbage: which versions' images may leave the registry and the gateways, and old deployment logs.</summary>
internal abstract partial class RelationalFunctionStore
{
    public async Task<IReadOnlyList<string>> ListFunctionsWithImagesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryRowsAsync<string>(new CommandDefinition(
            """
            SELECT DISTINCT function FROM versions
            WHERE deleted_at IS NULL AND image_removed_at IS NULL AND status <> 'Building' ORDER BY function
            """, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<CollectedVersions> MarkCollectedAsync(string function, int keepNewest, int rollbackWindow, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepNewest);
        ArgumentOutOfRangeException.ThrowIfNegative(rollbackWindow);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The name's lock, which rollbacks, aliases, config changes and deploys take too: none of them can make a version
        // reachable between the reading of what is kept and the marking.
        await connection.QueryScalarAsync<long>(new CommandDefinition(
            $"SELECT 1 FROM functions WHERE name = @function{ForUpdate}", new { function }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var kept = await KeptVersionsAsync(connection, transaction, function, rollbackWindow, cancellationToken).ConfigureAwait(false);
        var versions = await connection.QueryRowsAsync<CollectableRow>(new CommandDefinition(
            """
            SELECT version, image, status FROM versions
            WHERE function = @function AND deleted_at IS NULL AND image_removed_at IS NULL ORDER BY version DESC
            """, new { function }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        kept.UnionWith(versions.Where(v => v.Status == nameof(VersionStatus.Ready)).Take(keepNewest).Select(v => (int)v.Version));
        // An image goes only with every version that uses it: one kept (or still building) version keeps it for all.
        var keptImages = versions.Where(v => kept.Contains((int)v.Version) || v.Status == nameof(VersionStatus.Building))
            .Select(v => v.Image).ToHashSet(StringComparer.Ordinal);
        var collected = versions.Where(v => !keptImages.Contains(v.Image)).OrderBy(v => v.Version).ToList();
        var images = collected.Select(v => v.Image).Distinct(StringComparer.Ordinal).ToList();
        var now = WriteTime(Now());
        foreach (var image in images)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE versions SET image_removed_at = @now WHERE function = @function AND image = @image AND deleted_at IS NULL AND image_removed_at IS NULL",
                new { now, function, image }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CollectedVersions(function, collected.Select(v => (int)v.Version).ToList(), images);
    }

    public async Task ReleaseCollectedAsync(string function, IReadOnlyCollection<string> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var image in images)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE versions SET image_removed_at = NULL WHERE function = @function AND image = @image",
                new { function, image }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListRemovedImagesAsync(string function, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QueryRowsAsync<string>(new CommandDefinition(
            """
            SELECT image FROM versions WHERE function = @function GROUP BY image
            HAVING SUM(CASE WHEN deleted_at IS NULL AND image_removed_at IS NULL THEN 1 ELSE 0 END) = 0
            ORDER BY MIN(version)
            """, new { function }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<int> EmptyDeploymentLogsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deployments SET log = '' WHERE finished_at IS NOT NULL AND finished_at < @cutoff AND log <> ''",
            new { cutoff = WriteTime(cutoff) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed class CollectableRow
    {
        public long Version { get; set; }
        public string Image { get; set; } = "";
        public string Status { get; set; } = "";
    }
}
