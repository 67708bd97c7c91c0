using Epsilon.Core.Registry;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Garbage;

/// <summary>
/// One pass of garbage collection, a pass at a time: for each function, the versions nothing keeps (not live, no alias
/// target, outside the rollback window and the newest <see cref="BuilderOptions.KeepVersions"/>, sharing their image with
/// none of those) are marked collected in the store first, so no rollback or alias can reach them meanwhile, then their
/// images are removed from the registry; an image the registry keeps gives its versions back, for the next pass. Then
/// deployment logs past <see cref="BuilderOptions.DeploymentLogRetention"/> are emptied.
/// </summary>
/// <remarks>
/// The registry removes a manifest, not its blobs: a Distribution registry frees the space with its own
/// garbage-collect (scripts/registry-gc.sh, the epsilon-registry-gc timer); ECR's lifecycle policy does the rest there.
/// Each version's image is its own manifest (the epsilon.version label differs), so deleting one by digest takes no
/// other version's tag with it.
/// </remarks>
internal sealed partial class GarbageCollector(IGarbageStore store, IRegistryImageRemover images, IOptions<BuilderOptions> options,
    TimeProvider timeProvider, ILogger<GarbageCollector> logger) : IDisposable
{
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>
    /// Runs one pass; a pass already running is waited for, then this one runs. With <paramref name="function"/>, only that
    /// function's images, and no logs.
    /// </summary>
    public async Task<GarbageReport> CollectAsync(string? function, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            var collected = new SortedDictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
            var removed = new List<string>();
            var failed = new List<string>();
            var functions = function is null ? await store.ListFunctionsWithImagesAsync(cancellationToken) : [function];
            foreach (var name in functions)
            {
                var marked = await store.MarkCollectedAsync(name, settings.KeepVersions, settings.RollbackWindow, cancellationToken);
                if (marked.Images.Count == 0)
                {
                    continue;
                }

                // Not cancelled half-way: versions marked collected whose images stay would be unreachable for nothing.
                var removal = await images.RemoveAsync(marked.Images, CancellationToken.None);
                removed.AddRange(removal.Removed);
                if (removal.Failed.Count > 0)
                {
                    failed.AddRange(removal.Failed);
                    var kept = marked.Images.Except(removal.Removed, StringComparer.Ordinal).ToList();
                    await store.ReleaseCollectedAsync(name, kept, CancellationToken.None);
                    foreach (var failure in removal.Failed)
                    {
                        Log.ImageNotRemoved(logger, name, failure);
                    }
                }

                if (removal.Removed.Count > 0)
                {
                    collected[name] = marked.Versions;
                    Log.Collected(logger, name, string.Join(", ", marked.Versions.Select(v => $"v{v}")), removal.Removed.Count);
                }
            }

            var emptied = 0;
            if (function is null)
            {
                var cutoff = timeProvider.GetUtcNow() - settings.DeploymentLogRetention;
                emptied = await store.EmptyDeploymentLogsBeforeAsync(cutoff, cancellationToken);
                if (emptied > 0)
                {
                    Log.LogsEmptied(logger, emptied, cutoff);
                }
            }

            return new GarbageReport(collected, removed, failed, emptied);
        }
        finally
        {
            _pass.Release();
        }
    }

    public void Dispose() => _pass.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Collected {Versions} of function '{Function}': {Count} image(s) removed from the registry.")]
        public static partial void Collected(ILogger logger, string function, string versions, int count);

        [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "An image of function '{Function}' stays in the registry, its versions reachable until the next pass: {Failure}")]
        public static partial void ImageNotRemoved(ILogger logger, string function, string failure);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Emptied the build logs of {Count} deployment(s) finished before {Cutoff:O}.")]
        public static partial void LogsEmptied(ILogger logger, int count, DateTimeOffset cutoff);
    }
}
