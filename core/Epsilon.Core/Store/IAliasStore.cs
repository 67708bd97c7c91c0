using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>
/// Aliases (named versions and canary splits) and the versions a call may name directly: the builder sets them, gateways
/// load them with their function table.
/// </summary>
public interface IAliasStore
{
    /// <summary>
    /// The stored aliases of <paramref name="function"/> (every existing function's when null). A single-version
    /// <see cref="AliasName.Live"/> is not stored: it is the function's live version.
    /// </summary>
    Task<IReadOnlyList<FunctionAlias>> ListAliasesAsync(string? function, CancellationToken cancellationToken = default);

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="weights"/>' versions (checked to exist and be ready; the weights'
    /// shape is the caller's to check), raising the live revision. For <see cref="AliasName.Live"/> the live version moves to
    /// the heaviest; one version ends any split.
    /// </summary>
    Task<AliasResult> SetAliasAsync(string function, string alias, IReadOnlyDictionary<int, int> weights, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias, raising the live revision. <see cref="AliasName.Live"/> is the caller's to refuse.</summary>
    Task<AliasResult> DeleteAliasAsync(string function, string alias, CancellationToken cancellationToken = default);

    /// <summary>A ready, not deleted version of an existing function; null otherwise. What a call to <c>/fn@vN/</c> may reach.</summary>
    Task<FunctionVersion?> GetVersionAsync(string function, int version, CancellationToken cancellationToken = default);

    /// <summary>
    /// The versions of <paramref name="function"/> an image garbage collector must keep, ascending: the live one, every alias
    /// target, and the rollback window (the newest <paramref name="rollbackWindow"/> ready versions before the live one).
    /// </summary>
    Task<IReadOnlyList<int>> ListKeptVersionsAsync(string function, int rollbackWindow, CancellationToken cancellationToken = default);
}
