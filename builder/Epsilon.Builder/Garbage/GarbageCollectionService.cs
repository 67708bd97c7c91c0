using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Garbage;

/// <summary>
/// Runs the <see cref="GarbageCollector"/> every <see cref="BuilderOptions.CollectInterval"/> (never when it is zero), the
/// first pass one interval after start: a builder restarting in a loop does not sweep the registry each time.
/// </summary>
internal sealed partial class GarbageCollectionService(GarbageCollector collector, IOptions<BuilderOptions> options, TimeProvider timeProvider,
    ILogger<GarbageCollectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CollectInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await collector.CollectAsync(null, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A store or registry that is down now may be up at the next tick; the garbage only waits longer.
                Log.PassFailed(logger, interval, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Garbage collection failed; trying again in {Interval}.")]
        public static partial void PassFailed(ILogger logger, TimeSpan interval, Exception exception);
    }
}
