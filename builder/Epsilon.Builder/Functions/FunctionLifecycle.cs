using Epsilon.Builder.Deployments;
using Epsilon.Core.Model;
using Epsilon.Core.Registry;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Functions;

/// <summary>
/// Rollback and delete: each changes what is live in one store transaction, as a deploy does, and answers only once
/// every live gateway serves the change (or names the laggards), so no call after the answer reaches what it replaced.
/// </summary>
internal sealed partial class FunctionLifecycle(IFunctionStore store, IAliasStore aliases, RolloutWaiter rollout, IRegistryImageRemover images,
    ILogger<FunctionLifecycle> logger)
{
    /// <summary>Moves the live version; the rollout is null when nothing moved.</summary>
    public async Task<(RollbackResult Result, Rollout? Rollout)> RollbackAsync(string function, int? version, CancellationToken cancellationToken)
    {
        var result = await store.RollbackAsync(function, version, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != RollbackOutcome.Done)
        {
            return (result, null);
        }

        Log.RolledBack(logger, function, result.From, result.To!.Value);
        return (result, await rollout.WaitAsync(result.Revision, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Points an alias at weighted versions; the rollout is null when nothing changed. Any alias waits for the gateways, not
    /// only live: a call to <c>/fn@beta/</c> after the answer must reach the version it names.
    /// </summary>
    public async Task<(AliasResult Result, Rollout? Rollout)> SetAliasAsync(string function, string alias, IReadOnlyDictionary<int, int> weights,
        CancellationToken cancellationToken)
    {
        var result = await aliases.SetAliasAsync(function, alias, weights, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != AliasOutcome.Done)
        {
            return (result, null);
        }

        Log.AliasSet(logger, function, alias, string.Join(", ", weights.Select(w => $"v{w.Key}: {w.Value}")));
        return (result, await rollout.WaitAsync(result.Revision, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Removes an alias; the rollout is null when nothing changed.</summary>
    public async Task<(AliasResult Result, Rollout? Rollout)> DeleteAliasAsync(string function, string alias, CancellationToken cancellationToken)
    {
        var result = await aliases.DeleteAliasAsync(function, alias, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != AliasOutcome.Done)
        {
            return (result, null);
        }

        Log.AliasRemoved(logger, function, alias);
        return (result, await rollout.WaitAsync(result.Revision, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes a function everywhere; null when it does not exist.</summary>
    public async Task<(DeletedFunction Deleted, Rollout Rollout, ImageRemoval Images)?> DeleteAsync(string function, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteFunctionAsync(function, CancellationToken.None).ConfigureAwait(false);
        if (deleted is null)
        {
            return null;
        }

        // The images go once no gateway routes to the function, so none is asked to pull an image that is gone.
        var served = await rollout.WaitAsync(deleted.Revision, cancellationToken).ConfigureAwait(false);
        var removal = await images.RemoveAsync(deleted.Images, cancellationToken).ConfigureAwait(false);
        foreach (var failure in removal.Failed)
        {
            Log.ImageNotRemoved(logger, function, failure);
        }

        Log.Deleted(logger, function, removal.Removed.Count);
        return (deleted, served, removal);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Function '{Function}' rolled back from v{From} to v{To}.")]
        public static partial void RolledBack(ILogger logger, string function, int? from, int to);

        [LoggerMessage(EventId = 321, Level = LogLevel.Information, Message = "Function '{Function}' deleted; {Count} image(s) removed from the registry.")]
        public static partial void Deleted(ILogger logger, string function, int count);

        [LoggerMessage(EventId = 322, Level = LogLevel.Warning, Message = "Function '{Function}' deleted, but an image stays in the registry: {Failure}")]
        public static partial void ImageNotRemoved(ILogger logger, string function, string failure);

        [LoggerMessage(EventId = 323, Level = LogLevel.Information, Message = "Alias '{Alias}' of function '{Function}' set to {Weights}.")]
        public static partial void AliasSet(ILogger logger, string function, string alias, string weights);

        [LoggerMessage(EventId = 324, Level = LogLevel.Information, Message = "Alias '{Alias}' of function '{Function}' removed.")]
        public static partial void AliasRemoved(ILogger logger, string function, string alias);
    }
}
