using Epsilon.Core.Model;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Core.Store;

/// <summary>Membership, heartbeats, the live revision and signals, on every database.</summary>
public abstract class FleetStoreTests<TDatabase> : IDisposable
    where TDatabase : IStoreDatabase, new()
{
    private const string Shop = "https://github.com/acme/shop.git";
    private readonly TDatabase _database = new();

    /// <summary>Whether the database delivers signals between processes (PostgreSQL) or waiters poll (SQLite).</summary>
    protected abstract bool DeliversSignals { get; }

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task RegisterGatewayAsync_ThenList_ShowsItWithAFreshHeartbeat()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        var store = await OpenAsync(clock);

        await store.RegisterGatewayAsync(Member("g1"));

        var member = Assert.Single(await store.ListGatewaysAsync());
        Assert.Equal(Member("g1") with { StartedAt = clock.GetUtcNow(), HeartbeatAt = clock.GetUtcNow() }, member);
    }

    [Fact]
    public async Task RegisterGatewayAsync_SameIdAgain_ReplacesTheRow()
    {
        var store = await OpenAsync();
        await store.RegisterGatewayAsync(Member("g1"));

        await store.RegisterGatewayAsync(Member("g1") with { Address = "http://10.0.0.9:8080", MaxContainers = 7 });

        var member = Assert.Single(await store.ListGatewaysAsync());
        Assert.Equal("http://10.0.0.9:8080", member.Address);
        Assert.Equal(7, member.MaxContainers);
    }

    [Fact]
    public async Task HeartbeatAsync_KnownGateway_RecordsTimeStateAndRevision()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        var store = await OpenAsync(clock);
        await store.RegisterGatewayAsync(Member("g1"));
        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.True(await store.HeartbeatAsync("g1", GatewayState.Draining, 42));

        var member = Assert.Single(await store.ListGatewaysAsync());
        Assert.Equal(clock.GetUtcNow(), member.HeartbeatAt);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(3), member.StartedAt);
        Assert.Equal(GatewayState.Draining, member.State);
        Assert.Equal(42, member.ServedRevision);
    }

    [Fact]
    public async Task HeartbeatAsync_DeregisteredGateway_ReturnsFalse()
    {
        var store = await OpenAsync();
        await store.RegisterGatewayAsync(Member("g1"));
        await store.RegisterGatewayAsync(Member("g2"));

        await store.DeregisterGatewayAsync("g1");

        Assert.False(await store.HeartbeatAsync("g1", GatewayState.Active, 0));
        Assert.Equal("g2", Assert.Single(await store.ListGatewaysAsync()).Id);
    }

    [Fact]
    public async Task CompleteDeploymentAsync_Success_RaisesTheRevisionByOne_FailureLeavesIt()
    {
        var store = await OpenAsync();
        Assert.Equal(0, await store.GetRevisionAsync());

        var first = await DeployAsync(store, succeeded: true);
        var failed = await DeployAsync(store, succeeded: false);
        var second = await DeployAsync(store, succeeded: true);

        Assert.Equal((1, 0, 2), (first, failed, second));
        Assert.Equal(2, await store.GetRevisionAsync());
    }

    [Fact]
    public async Task CompleteDeploymentAsync_ManyAtOnceFromTwoInstances_EachGetsItsOwnRevision()
    {
        var one = await OpenAsync();
        var two = await OpenAsync();

        var revisions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => DeployAsync(i % 2 == 0 ? one : two, succeeded: true))));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), revisions.Order());
    }

    [Fact]
    public async Task WaitForSignalAsync_DeployCompletedByAnotherProcess_WakesTheWaiterWhereTheDatabaseSignals()
    {
        var gateway = await OpenAsync();
        var builder = await OpenAsync();
        // Let the listener come up (its first LISTEN wakes waiters once).
        await ((IFleetStore)gateway).WaitForSignalAsync(StoreSignal.RevisionChanged, TimeSpan.FromMilliseconds(500));

        var wait = ((IFleetStore)gateway).WaitForSignalAsync(StoreSignal.RevisionChanged, TimeSpan.FromSeconds(DeliversSignals ? 30 : 0.2));
        await DeployAsync(builder, succeeded: true);

        Assert.Equal(DeliversSignals, await wait);
    }

    [Fact]
    public async Task SignalAsync_RevisionServed_WakesAnotherProcessWaitingForItWhereTheDatabaseSignals()
    {
        var builder = await OpenAsync();
        var gateway = await OpenAsync();
        await ((IFleetStore)builder).WaitForSignalAsync(StoreSignal.RevisionServed, TimeSpan.FromMilliseconds(500));

        var wait = ((IFleetStore)builder).WaitForSignalAsync(StoreSignal.RevisionServed, TimeSpan.FromSeconds(DeliversSignals ? 30 : 0.2));
        await ((IFleetStore)gateway).SignalAsync(StoreSignal.RevisionServed);

        Assert.Equal(DeliversSignals, await wait);
    }

    private async Task<RelationalFunctionStore> OpenAsync(TimeProvider? clock = null) =>
        (RelationalFunctionStore)await ((IStoreDatabase)_database).OpenStoreAsync(clock);

    private static async Task<long> DeployAsync(IFunctionStore store, bool succeeded)
    {
        var deployment = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(deployment.Id, Shop,
            [KeyValuePair.Create("hello", new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = "hello" })],
            (name, version) => $"registry.test/{name}:v{version}");
        return await store.CompleteDeploymentAsync(deployment.Id, succeeded, "c", succeeded ? null : "failed", "");
    }

    private static GatewayMember Member(string id) => new()
    {
        Id = id,
        Address = $"http://{id}.test:8080",
        MaxContainers = 40,
        MaxMemoryBytes = 8L << 30,
        State = GatewayState.Active,
        StartedAt = default,
        HeartbeatAt = default,
        ServedRevision = 0,
    };
}

/// <summary>The fleet store tests on SQLite.</summary>
public sealed class SqliteFleetStoreTests : FleetStoreTests<SqliteStoreDatabase>
{
    protected override bool DeliversSignals => false;
}

/// <summary>The fleet store tests on PostgreSQL.</summary>
public sealed class PostgresFleetStoreTests : FleetStoreTests<PostgresStoreDatabase>
{
    protected override bool DeliversSignals => true;
}
