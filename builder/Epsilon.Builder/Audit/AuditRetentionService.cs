using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Audit;

/// <summary>
/// Deletes audit entries older than <see cref="BuilderOptions.AuditRetention"/>: at start, then hourly. The builder has
/// no other periodic work to ride on, and only the builder writes the log.
/// </summary>
internal sealed partial class AuditRetentionService(IFunctionStore store, IAuditStore audit, IOptions<BuilderOptions> options, TimeProvider timeProvider,
    ILogger<AuditRetentionService> logger) : BackgroundService
{
    /// <summary>How often it trims: the retention is days, so an hour late is nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            try
            {
                await store.InitializeAsync(stoppingToken);
                var cutoff = timeProvider.GetUtcNow() - options.Value.AuditRetention;
                var deleted = await audit.DeleteAuditBeforeAsync(cutoff, stoppingToken);
                if (deleted > 0)
                {
                    Log.Trimmed(logger, deleted, cutoff);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A store that is down now may be up at the next tick; the entries only wait longer.
                Log.TrimFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Deleted {Count} audit entries older than {Cutoff:O}.")]
        public static partial void Trimmed(ILogger logger, int count, DateTimeOffset cutoff);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Could not delete old audit entries; trying again in an hour.")]
        public static partial void TrimFailed(ILogger logger, Exception exception);
    }
}
