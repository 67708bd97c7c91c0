namespace Epsilon.Gateway.Pooling;

/// <summary>
/// When a call needs a container and the gateway is at its capacity, removes the least recently used idle container of
/// any function to make room, as OpenWhisk's invoker does, rather than let the call wait for an idle timeout.
/// </summary>
internal sealed partial class CapacityEvictor(FunctionPools pools, ILogger<CapacityEvictor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await pools.Budget.RoomWanted.WaitAsync(stoppingToken).ConfigureAwait(false);
            if (pools.EvictLeastRecentlyUsed() is { } pool)
            {
                Log.Evicted(logger, pool.Version.Function, pool.Version.Version, pools.Budget.MaxContainers);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3007, Level = LogLevel.Information,
            Message = "Gateway at its capacity of {MaxContainers} container(s): evicted an idle container of function '{Function}' v{Version}.")]
        public static partial void Evicted(ILogger logger, string function, int version, int maxContainers);
    }
}
