using Epsilon.Core.Fleet;
using Epsilon.Core.Model;
using Epsilon.Gateway.Fleet;
using Epsilon.Gateway.Functions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Gateway.Pooling;

/// <summary>A gateway's pools on a store, a clock and containers the test controls.</summary>
internal sealed class PoolsHarness : IDisposable
{
    private readonly IOptions<GatewayOptions> _options;

    public PoolsHarness()
    {
        // The reaper reads them when Reaper() makes it, so a test may change them before that.
        _options = Microsoft.Extensions.Options.Options.Create(Options);
        // Alone in its fleet: no server to advertise, never registered; it only records the revision its table serves.
        Membership = new FleetMembership(Store, server: null!, InFlight, _options, Microsoft.Extensions.Options.Options.Create(new FleetOptions()),
            Microsoft.Extensions.Options.Options.Create(new FleetMemberOptions()), Time, NullLogger<FleetMembership>.Instance);
        Table = new FunctionTableProvider(Store, Store, Store, Store, Store, Membership, _options, Time, NullLogger<FunctionTableProvider>.Instance);
        Pools = new FunctionPools(Lifecycle, Table, _options, Time);
    }

    public FakeTimeProvider Time { get; } = new();

    public RecordingLifecycle Lifecycle { get; } = new();

    public LiveVersionsStore Store { get; } = new();

    public GatewayOptions Options { get; } = new() { ReapInterval = TimeSpan.FromSeconds(5), PauseIdleAfter = TimeSpan.FromSeconds(30) };

    public FunctionTableProvider Table { get; }

    public FleetMembership Membership { get; }

    public InFlightCalls InFlight { get; } = new();

    /// <summary>This gateway's saturation as fleet routing sees it, with no peers.</summary>
    public FleetSaturation Saturation() => new(Membership, Pools, Table, new SaturationHints(Time, TimeSpan.FromSeconds(1)));

    public FunctionPools Pools { get; }

    /// <summary>Makes <paramref name="versions"/> the live ones, as a deploy or rollback does, and reloads the table.</summary>
    public async Task GoLiveAsync(params FunctionVersion[] versions)
    {
        Store.Live = versions;
        await Table.RefreshAsync(null, CancellationToken.None);
    }

    public IdleReaper Reaper() => new(Pools, Table, _options, Time, NullLogger<IdleReaper>.Instance);

    public void Dispose()
    {
        Pools.Dispose();
        Table.Dispose();
        Membership.Dispose();
    }
}
