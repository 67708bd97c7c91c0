using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>
/// Deployments, function names and their versions. The builder writes it, the gateway reads it; they share
/// nothing else. Every write that changes what is callable happens in one transaction.
/// </summary>
public interface IFunctionStore
{
    /// <summary>Creates the schema if absent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a new deployment in state <see cref="DeploymentStatus.Building"/>.</summary>
    Task<Deployment> CreateDeploymentAsync(string repository, string? gitRef, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims each function name for <paramref name="repository"/> (or confirms it already owns it) and allocates each
    /// function's next version in state <see cref="VersionStatus.Building"/>, all in one transaction: either every
    /// name is claimed or none is.
    /// </summary>
    /// <remarks>A deleted function's name, or one a failed first deploy freed, is claimed by whoever deploys it next.</remarks>
    /// <param name="sourceKeys">What each function is built from (<see cref="FunctionVersion.SourceKey"/>), by name.</param>
    /// <exception cref="FunctionNameTakenException">Another repository owns one of the names.</exception>
    Task<IReadOnlyList<FunctionVersion>> ReserveVersionsAsync(string deploymentId, string repository,
        IReadOnlyList<KeyValuePair<string, FunctionConfig>> functions, Func<string, int, string> imageFor,
        IReadOnlyDictionary<string, string>? sourceKeys = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a deployment that found every function already live from the same source: ready, making no version and
    /// moving nothing, recording the versions it found.
    /// </summary>
    Task CompleteUnchangedDeploymentAsync(string deploymentId, string? commit, string log, IReadOnlyList<DeployedFunction> unchanged,
        CancellationToken cancellationToken = default);

    /// <summary>Every version of a function, newest first; with <paramref name="includeDeleted"/> those of its deleted past too.</summary>
    Task<IReadOnlyList<VersionEntry>> ListVersionsAsync(string function, bool includeDeleted, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a function's live version to <paramref name="version"/>, or to the newest ready version older than the live
    /// one when null, raising the live revision as a deploy does.
    /// </summary>
    Task<RollbackResult> RollbackAsync(string function, int? version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a function: no version is live, its name is free, its versions are marked deleted and stay readable, and
    /// the live revision rises so every gateway drops it. Null when it does not exist.
    /// </summary>
    Task<DeletedFunction?> DeleteFunctionAsync(string function, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a deployment. On success its versions become ready and every function's live version moves to them at
    /// once, raising the live revision (and signalling <see cref="StoreSignal.RevisionChanged"/>); on failure its
    /// versions are marked failed, nothing moves, and names that only failed versions ever held are freed.
    /// </summary>
    /// <returns>The revision that makes the deployment live; 0 when it failed.</returns>
    Task<long> CompleteDeploymentAsync(string deploymentId, bool succeeded, string? commit, string? error, string log,
        CancellationToken cancellationToken = default);

    /// <summary>Marks deployments left building by a stopped builder as failed.</summary>
    Task<int> FailInterruptedDeploymentsAsync(CancellationToken cancellationToken = default);

    /// <summary>A deployment by id, with the versions it made.</summary>
    Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Functions with a live version, by name.</summary>
    Task<IReadOnlyList<FunctionInfo>> ListFunctionsAsync(CancellationToken cancellationToken = default);

    /// <summary>One function, whether or not it has a live version; null when it does not exist or was deleted.</summary>
    Task<FunctionInfo?> GetFunctionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every function's live version: the gateway's routing table.</summary>
    Task<IReadOnlyList<FunctionVersion>> ListLiveVersionsAsync(CancellationToken cancellationToken = default);
}
