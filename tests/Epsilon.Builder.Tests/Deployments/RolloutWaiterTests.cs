using Epsilon.Core.Fleet;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Deployments;

/// <summary>A deploy's answer waits for the fleet: on PostgreSQL woken by acknowledgements, on SQLite by polling.</summary>
public abstract class RolloutWaiterTests<TDatabase> : IDisposable
    where TDatabase : IStoreDatabase, new()
{
    private readonly TDatabase _database = new();

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task WaitAsync_NoGateway_AnswersAtOnceComplete()
    {
        var (waiter, _) = await CreateAsync(TimeSpan.FromSeconds(30));

        var rollout = await waiter.WaitAsync(1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(rollout.Complete);
        Assert.Empty(rollout.Serving);
    }

    [Fact]
    public async Task WaitAsync_GatewaysCatchingUp_AnswersWhenTheLastServesTheRevision()
    {
        var (waiter, fleet) = await CreateAsync(TimeSpan.FromSeconds(60));
        await fleet.RegisterGatewayAsync(Member("g1", servedRevision: 7));
        await fleet.RegisterGatewayAsync(Member("g2", servedRevision: 6));
        await fleet.RegisterGatewayAsync(Member("g3", servedRevision: 6));

        var waiting = waiter.WaitAsync(7, CancellationToken.None);
        var gateway = (IFleetStore)await ((IStoreDatabase)_database).OpenStoreAsync();
        await gateway.HeartbeatAsync("g2", GatewayState.Active, 7);
        await gateway.SignalAsync(StoreSignal.RevisionServed);
        Assert.False(waiting.IsCompleted);
        await gateway.HeartbeatAsync("g3", GatewayState.Active, 8);
        await gateway.SignalAsync(StoreSignal.RevisionServed);

        var rollout = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(rollout.Complete);
        Assert.Equal(["g1", "g2", "g3"], rollout.Serving);
    }

    [Fact]
    public async Task WaitAsync_GatewayThatNeverCatchesUp_IsNamedAfterTheTimeout()
    {
        var (waiter, fleet) = await CreateAsync(TimeSpan.FromMilliseconds(300));
        await fleet.RegisterGatewayAsync(Member("g1", servedRevision: 3));
        await fleet.RegisterGatewayAsync(Member("g2", servedRevision: 2));

        var rollout = await waiter.WaitAsync(3, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(rollout.Complete);
        Assert.Equal(["g1"], rollout.Serving);
        Assert.Equal(["g2"], rollout.Laggards);
    }

    [Fact]
    public async Task WaitAsync_GatewayWithAStaleHeartbeat_IsNotWaitedFor()
    {
        var (waiter, fleet) = await CreateAsync(TimeSpan.FromSeconds(30), heartbeatTimeout: TimeSpan.FromMilliseconds(200));
        await fleet.RegisterGatewayAsync(Member("dead", servedRevision: 0));
        await Task.Delay(400);

        var rollout = await waiter.WaitAsync(1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(rollout.Complete);
        Assert.Empty(rollout.Laggards);
    }

    private async Task<(RolloutWaiter Waiter, IFleetStore Fleet)> CreateAsync(TimeSpan rolloutTimeout, TimeSpan? heartbeatTimeout = null)
    {
        var fleet = (IFleetStore)await ((IStoreDatabase)_database).OpenStoreAsync();
        var options = new FleetOptions { RolloutTimeout = rolloutTimeout, HeartbeatTimeout = heartbeatTimeout ?? TimeSpan.FromMinutes(1) };
        return (new RolloutWaiter(fleet, Options.Create(options), TimeProvider.System, NullLogger<RolloutWaiter>.Instance), fleet);
    }

    private static GatewayMember Member(string id, long servedRevision) => new()
    {
        Id = id,
        Address = $"http://{id}.test:8080",
        MaxContainers = 10,
        MaxMemoryBytes = 1L << 30,
        State = GatewayState.Active,
        StartedAt = default,
        HeartbeatAt = default,
        ServedRevision = servedRevision,
    };
}

/// <summary>On SQLite, polling.</summary>
public sealed class SqliteRolloutWaiterTests : RolloutWaiterTests<SqliteStoreDatabase>;

/// <summary>On PostgreSQL, woken by NOTIFY.</summary>
public sealed class PostgresRolloutWaiterTests : RolloutWaiterTests<PostgresStoreDatabase>;
