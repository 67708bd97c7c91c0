using Epsilon.Gateway.Functions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// Every <see cref="GatewayOptions.ReapInterval"/>: retires the pools of versions no longer live, keeps each live
/// function's <c>minWarm</c> containers, pauses containers idle for <see cref="GatewayOptions.PauseIdleAfter"/>,
/// removes those idle past their function's idle timeout, and forgets retired pools that have drained.
/// </summary>
internal sealed partial class IdleReaper(
    FunctionPools pools,
    FunctionTableProvider table,
    IOptions<GatewayOptions> options,
    TimeProvider timeProvider,
    ILogger<IdleReaper> logger) : BackgroundService
{
    private readonly GatewayOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReapInterval, timeProvider);
        do
        {
            try
            {
                Reap();
            }
            catch (Exception ex)
            {
                Log.ReapFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: retire stale versions, keep minWarm, pause and reap idle containers, forget drained pools.</summary>
    internal void Reap()
    {
        var current = table.Current;
        pools.RetireStale(current);
        foreach (var version in current.Live.Values.Where(v => v.Config.MinWarm > 0))
        {
            pools.Get(version).EnsureMinWarm();
        }

        foreach (var pool in pools.Snapshot())
        {
            if (_options.PauseIdleAfter > TimeSpan.Zero)
            {
                pool.PauseIdle(_options.PauseIdleAfter);
            }

            var reaped = pool.ReapIdle();
            if (reaped > 0)
            {
                Log.Reaped(logger, reaped, pool.Version.Function, pool.Version.Version);
            }

        }

        // After the reaping, so a direct pool the pass just emptied goes now; then every drained pool is forgotten.
        pools.RetireIdleDirect(current);
        foreach (var pool in pools.Snapshot())
        {
            pools.TryForget(pool);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Reaped {Count} idle container(s) of function '{Function}' v{Version}.")]
        public static partial void Reaped(ILogger logger, int count, string function, int version);

        [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Reaping idle containers failed.")]
        public static partial void ReapFailed(ILogger logger, Exception exception);
    }
}
