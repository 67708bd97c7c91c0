using Epsilon.Core.Model;
using static Epsilon.Gateway.Pooling.TestFunctions;

namespace Epsilon.Gateway.Pooling;

/// <summary>Pools of alias targets stay while an alias reaches them; pools of versions called directly go once idle.</summary>
public sealed class AliasPoolsTests : IDisposable
{
    private readonly PoolsHarness _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task TableChange_KeepsThePoolsOfEveryVersionAnAliasReaches()
    {
        var v1 = Version(Config());
        var v2 = Version(Config(), version: 2);
        _gateway.Store.Versions = [v1];
        _gateway.Store.Aliases = [new FunctionAlias { Function = "hello", Name = "stable", Weights = new Dictionary<int, int> { [1] = 100 }, UpdatedAt = default }];
        await _gateway.GoLiveAsync(v1);
        var pool = _gateway.Pools.Get(v1);

        await _gateway.GoLiveAsync(v2);
        _gateway.Reaper().Reap();

        Assert.True(pool.IsLive);

        _gateway.Store.Aliases = [];
        await _gateway.GoLiveAsync(v2);

        Assert.False(pool.IsLive);
    }

    [Fact]
    public async Task DirectPool_ServesWhileLiveMoves_ThenGoesOnceIdle_WithoutMinWarm()
    {
        var v1 = Version(Config(minWarm: 1, idleTimeout: TimeSpan.FromMinutes(1)));
        await _gateway.GoLiveAsync(Version(Config(), version: 2));
        var pool = _gateway.Pools.Get(v1, direct: true);
        var call = await _gateway.Lifecycle.AcquireReadyAsync(pool);
        pool.Release(call.Container!, ReleaseDisposition.Healthy);

        await _gateway.GoLiveAsync(Version(Config(), version: 3));
        var reaper = _gateway.Reaper();
        reaper.Reap();
        Assert.True(pool.IsLive);
        Assert.Same(pool, _gateway.Pools.Get(v1, direct: true));

        _gateway.Time.Advance(TimeSpan.FromMinutes(2));
        reaper.Reap();
        reaper.Reap();

        Assert.False(pool.IsLive);
        Assert.Same(call.Container, Assert.Single(_gateway.Lifecycle.Removed));
        Assert.DoesNotContain(pool, _gateway.Pools.Snapshot());
        Assert.NotSame(pool, _gateway.Pools.Get(v1, direct: true));
    }

    [Fact]
    public async Task DirectPool_GoesWhenItsFunctionIsDeleted()
    {
        var v1 = Version(Config());
        await _gateway.GoLiveAsync(Version(Config(), version: 2));
        var pool = _gateway.Pools.Get(v1, direct: true);

        await _gateway.GoLiveAsync();

        Assert.False(pool.IsLive);
    }
}
