using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Core.Contracts;
using Epsilon.Core.Docker;
using Epsilon.Core.Store;
using Epsilon.Gateway.Functions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Containers;

/// <summary>
/// Every <see cref="GatewayOptions.ImageCollectInterval"/>: removes this host's tags of function images (those labelled
/// <c>epsilon.function</c>, so never a base image) that the store says no version can use any more (their versions
/// collected by the builder's garbage collector, or their function deleted). Never an image a container uses (any
/// container, stopped ones too), never one the function table serves; an image the store does not know is not its to
/// remove (another store's, on a shared daemon). Tags are removed one by one, so an image another tag names stays.
/// </summary>
internal sealed partial class LocalImageCollector(
    IDockerClient docker,
    IGarbageStore store,
    FunctionTableProvider table,
    IOptions<GatewayOptions> options,
    IOptions<DockerClientOptions> dockerOptions,
    TimeProvider timeProvider,
    ILogger<LocalImageCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ImageCollectInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await CollectAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.PassFailed(logger, ex);
            }
        }
    }

    /// <summary>One pass; returns the tags it removed.</summary>
    internal async Task<IReadOnlyList<string>> CollectAsync(CancellationToken cancellationToken)
    {
        var images = await BoundedAsync(token => docker.Images.ListImagesAsync(new ImagesListParameters
        {
            Filters = DockerFilters.Labels($"{ContainerLabels.Managed}={ContainerLabels.ManagedValue}", ContainerLabels.Function),
        }, token), cancellationToken).ConfigureAwait(false);
        if (images.Count == 0)
        {
            return [];
        }

        var containers = await BoundedAsync(token => docker.Containers.ListContainersAsync(new ContainersListParameters { All = true }, token),
            cancellationToken).ConfigureAwait(false);
        var used = containers.SelectMany(c => new[] { c.ImageID, c.Image }).Where(i => !string.IsNullOrEmpty(i)).ToHashSet(StringComparer.Ordinal);
        var current = table.Current;
        var served = current.Live.Values.Concat(current.Aliases.Values.SelectMany(a => a.Values).SelectMany(r => r.Versions))
            .Select(v => v.Image).ToHashSet(StringComparer.Ordinal);

        var removed = new List<string>();
        var labelled = images.Select(i => (Image: i, Function: i.Labels is { } labels && labels.TryGetValue(ContainerLabels.Function, out var name) ? name : null))
            .Where(i => !string.IsNullOrEmpty(i.Function));
        foreach (var function in labelled.GroupBy(i => i.Function!, i => i.Image, StringComparer.Ordinal))
        {
            var gone = (await store.ListRemovedImagesAsync(function.Key, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            foreach (var image in function.Where(i => !used.Contains(i.ID)))
            {
                foreach (var tag in (image.RepoTags ?? []).Where(t => gone.Contains(t) && !served.Contains(t) && !used.Contains(t)))
                {
                    if (await RemoveTagAsync(tag, cancellationToken).ConfigureAwait(false))
                    {
                        removed.Add(tag);
                    }
                }
            }
        }

        if (removed.Count > 0)
        {
            Log.Removed(logger, removed.Count, string.Join(", ", removed));
        }

        return removed;
    }

    /// <summary>Removes one tag (its image too when it was the last); false when Docker kept it.</summary>
    private async Task<bool> RemoveTagAsync(string tag, CancellationToken cancellationToken)
    {
        try
        {
            // Not forced: the daemon refuses an image a container created since the listing uses (409), and that is right.
            await BoundedAsync(token => docker.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = false }, token), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            Log.InUse(logger, tag, ex.GetDaemonMessage());
            return false;
        }
    }

    private async Task<T> BoundedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(dockerOptions.Value.RequestTimeout);
        return await call(timeout.Token).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Removed {Count} local image tag(s) the registry no longer holds: {Tags}.")]
        public static partial void Removed(ILogger logger, int count, string tags);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Local image '{Tag}' stays: {Reason}")]
        public static partial void InUse(ILogger logger, string tag, string reason);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Removing unused local function images failed; trying again next interval.")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
