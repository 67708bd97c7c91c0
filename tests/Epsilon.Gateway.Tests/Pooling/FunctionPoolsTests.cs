using Epsilon.Gateway.Containers;
using static Epsilon.Gateway.Pooling.TestFunctions;

namespace Epsilon.Gateway.Pooling;

public sealed class FunctionPoolsTests : IDisposable
{
    private readonly PoolsHarness _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Get_SameVersion_ReturnsTheSamePool()
    {
        var v1 = Version(Config());
        await _gateway.GoLiveAsync(v1);

        var pool = _gateway.Pools.Get(v1);

        Assert.Same(pool, _gateway.Pools.Get(v1));
        Assert.Same(pool, Assert.Single(_gateway.Pools.Snapshot()));
        Assert.True(pool.IsLive);
    }

    [Fact]
    public async Task TableChange_RetiresThePoolOfTheVersionNoLongerLive_AndItsIdleContainersGo()
    {
        var v1 = Version(Config());
        await _gateway.GoLiveAsync(v1);
        var pool = _gateway.Pools.Get(v1);
        var call = await _gateway.Lifecycle.AcquireReadyAsync(pool);
        pool.Release(call.Container!, ReleaseDisposition.Healthy);

        await _gateway.GoLiveAsync(Version(Config(), version: 2));

        Assert.False(pool.IsLive);
        Assert.Same(call.Container, Assert.Single(_gateway.Lifecycle.Removed));
        Assert.Equal(AcquireError.VersionRetired, (await pool.AcquireAsync(TimeSpan.FromMinutes(1), CancellationToken.None)).Error);
    }

    [Fact]
    public async Task TableChange_OtherFunctionsPoolsStayLive()
    {
        var hello = Version(Config());
        var other = Version(Config(), function: "other");
        await _gateway.GoLiveAsync(hello, other);
        var otherPool = _gateway.Pools.Get(other);

        await _gateway.GoLiveAsync(Version(Config(), version: 2), other);

        Assert.True(otherPool.IsLive);
    }

    [Fact]
    public async Task Get_VersionLiveAgainAfterItsPoolRetired_ReturnsAFreshPool_WhileTheOldOneDrains()
    {
        var v1 = Version(Config());
        await _gateway.GoLiveAsync(v1);
        var retired = _gateway.Pools.Get(v1);
        var busy = await _gateway.Lifecycle.AcquireReadyAsync(retired);
        await _gateway.GoLiveAsync(Version(Config(), version: 2));
        Assert.False(retired.IsLive);

        await _gateway.GoLiveAsync(v1);
        var fresh = _gateway.Pools.Get(v1);

        Assert.NotSame(retired, fresh);
        Assert.True(fresh.IsLive);
        Assert.Same(fresh, _gateway.Pools.Get(v1));
        Assert.Empty(_gateway.Lifecycle.Removed);
        retired.Release(busy.Container!, ReleaseDisposition.Healthy);
        Assert.Same(busy.Container, Assert.Single(_gateway.Lifecycle.Removed));
    }

    [Fact]
    public async Task RetireAll_RetiresEveryPool()
    {
        var hello = Version(Config());
        var other = Version(Config(), function: "other");
        await _gateway.GoLiveAsync(hello, other);
        var pools = new[] { _gateway.Pools.Get(hello), _gateway.Pools.Get(other) };

        _gateway.Pools.RetireAll();

        Assert.All(pools, p => Assert.False(p.IsLive));
    }

    [Fact]
    public async Task TryForget_OnlyARetiredEmptyPool_IsForgotten()
    {
        var v1 = Version(Config());
        await _gateway.GoLiveAsync(v1);
        var pool = _gateway.Pools.Get(v1);
        var busy = await _gateway.Lifecycle.AcquireReadyAsync(pool);

        Assert.False(_gateway.Pools.TryForget(pool));
        _gateway.Pools.RetireAll();
        Assert.False(_gateway.Pools.TryForget(pool));
        pool.Release(busy.Container!, ReleaseDisposition.Healthy);

        Assert.True(_gateway.Pools.TryForget(pool));
        Assert.Empty(_gateway.Pools.Snapshot());
    }

    [Fact]
    public async Task CountByState_CountsTheContainersOfEveryPool()
    {
        var hello = Version(Config(concurrency: 1, maxContainers: 2));
        var other = Version(Config(), function: "other");
        await _gateway.GoLiveAsync(hello, other);
        await _gateway.Lifecycle.AcquireReadyAsync(_gateway.Pools.Get(hello));
        _ = _gateway.Pools.Get(hello).AcquireAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        await _gateway.Lifecycle.AcquireReadyAsync(_gateway.Pools.Get(other));

        var counts = _gateway.Pools.CountByState();

        Assert.Equal(2, counts[FunctionContainerState.Ready]);
        Assert.Equal(1, counts[FunctionContainerState.Starting]);
    }
}
