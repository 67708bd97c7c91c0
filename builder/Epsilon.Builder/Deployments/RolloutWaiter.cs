using Epsilon.Core.Fleet;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Deployments;

/// <summary>
/// Holds a deploy's answer until every live gateway serves its revision, so no call reaches the previous version after
/// the deploy answered. Woken by the gateways' acknowledgements where the store signals (PostgreSQL), polling otherwise;
/// bounded by <see cref="FleetOptions.RolloutTimeout"/>, after which the laggards are named rather than waited for.
/// </summary>
internal sealed partial class RolloutWaiter(IFleetStore fleet, IOptions<FleetOptions> options, TimeProvider timeProvider, ILogger<RolloutWaiter> logger)
{
    // Where no signal comes, how often to look; also the backstop for a signal lost to a reconnect.
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<Rollout> WaitAsync(long revision, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var deadline = timeProvider.GetUtcNow() + settings.RolloutTimeout;
        while (true)
        {
            var now = timeProvider.GetUtcNow();
            var remaining = deadline - now;
            var signal = fleet.WaitForSignalAsync(StoreSignal.RevisionServed, remaining < s_pollInterval ? remaining : s_pollInterval, cancellationToken);
            var live = (await fleet.ListGatewaysAsync(cancellationToken).ConfigureAwait(false)).Where(g => settings.IsLive(g, now)).ToList();
            var laggards = live.Where(g => g.ServedRevision < revision).Select(g => g.Id).ToList();
            var serving = live.Where(g => g.ServedRevision >= revision).Select(g => g.Id).ToList();
            if (laggards.Count == 0 || remaining <= TimeSpan.Zero)
            {
                if (laggards.Count > 0)
                {
                    Log.Laggards(logger, revision, string.Join(", ", laggards), settings.RolloutTimeout.TotalSeconds);
                }

                return new Rollout(revision, serving, laggards);
            }

            await signal.ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4100, Level = LogLevel.Warning,
            Message = "Revision {Revision} was not served by gateway(s) '{Laggards}' within {Seconds} s; answering without them.")]
        public static partial void Laggards(ILogger logger, long revision, string laggards, double seconds);
    }
}
