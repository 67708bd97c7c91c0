using Epsilon.Gateway.Containers;
using static Epsilon.Gateway.Pooling.TestFunctions;

namespace Epsilon.Gateway.Pooling;

public sealed class IdleReaperTests : IDisposable
{
    /// <summary>Only so a broken reaper fails the test instead of hanging it; nothing waits for time to pass.</summary>
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(30);

    private readonly PoolsHarness _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Reap_ContainerIdleForPauseIdleAfter_IsPaused_NotBefore()
    {
        var container = await IdleContainerAsync(Version(Config()));

        _gateway.Time.Advance(_gateway.Options.PauseIdleAfter - TimeSpan.FromSeconds(1));
        _gateway.Reaper().Reap();
        Assert.Equal(FunctionContainerState.Ready, container.State);
        Assert.Empty(_gateway.Lifecycle.Transitions);

        _gateway.Time.Advance(TimeSpan.FromSeconds(1));
        _gateway.Reaper().Reap();

        Assert.Equal(FunctionContainerState.Paused, container.State);
        Assert.Equal([("pause", container)], _gateway.Lifecycle.Transitions);
        Assert.Empty(_gateway.Lifecycle.Removed);
    }

    [Fact]
    public async Task Reap_PauseIdleAfterZero_LeavesIdleContainersRunning()
    {
        _gateway.Options.PauseIdleAfter = TimeSpan.Zero;
        var container = await IdleContainerAsync(Version(Config(idleTimeout: TimeSpan.FromHours(1))));

        _gateway.Time.Advance(TimeSpan.FromMinutes(30));
        _gateway.Reaper().Reap();

        Assert.Equal(FunctionContainerState.Ready, container.State);
        Assert.Empty(_gateway.Lifecycle.Transitions);
    }

    [Fact]
    public async Task Reap_BusyContainer_IsNeitherPausedNorReaped()
    {
        var version = Version(Config(idleTimeout: TimeSpan.FromMinutes(1)));
        await _gateway.GoLiveAsync(version);
        var call = await _gateway.Lifecycle.AcquireReadyAsync(_gateway.Pools.Get(version));

        _gateway.Time.Advance(TimeSpan.FromHours(1));
        _gateway.Reaper().Reap();

        Assert.Equal(FunctionContainerState.Ready, call.Container!.State);
        Assert.Empty(_gateway.Lifecycle.Transitions);
        Assert.Empty(_gateway.Lifecycle.Removed);
    }

    [Fact]
    public async Task Reap_PastTheIdleTimeout_RemovesIdleContainersButKeepsMinWarm()
    {
        var version = Version(Config(concurrency: 1, maxContainers: 3, minWarm: 1, idleTimeout: TimeSpan.FromMinutes(5)));
        await _gateway.GoLiveAsync(version);
        var pool = _gateway.Pools.Get(version);
        var calls = new List<AcquireResult>();
        for (var i = 0; i < 3; i++)
        {
            calls.Add(await _gateway.Lifecycle.AcquireReadyAsync(pool));
        }

        calls.ForEach(c => pool.Release(c.Container!, ReleaseDisposition.Healthy));
        _gateway.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        _gateway.Reaper().Reap();
        Assert.Empty(_gateway.Lifecycle.Removed);
        Assert.All(pool.Snapshot(), c => Assert.Equal(FunctionContainerState.Paused, c.State));

        _gateway.Time.Advance(TimeSpan.FromSeconds(1));
        _gateway.Reaper().Reap();

        Assert.Equal(2, _gateway.Lifecycle.Removed.Count);
        var kept = Assert.Single(pool.Snapshot());
        Assert.DoesNotContain(kept, _gateway.Lifecycle.Removed);
        Assert.Equal(3, _gateway.Lifecycle.Started.Count);
    }

    [Fact]
    public async Task Reap_LiveFunctionWithMinWarm_StartsItsContainers_AndReplacesOneThatDied()
    {
        var version = Version(Config(maxContainers: 5, minWarm: 2));
        await _gateway.GoLiveAsync(version, Version(Config(), function: "cold"));

        _gateway.Reaper().Reap();

        Assert.Equal(2, _gateway.Lifecycle.Started.Count);
        Assert.All(_gateway.Lifecycle.Started, c => Assert.Equal("hello", c.Version.Function));
        Assert.Single(_gateway.Pools.Snapshot());

        _gateway.Lifecycle.Ready(_gateway.Lifecycle.Started[0]);
        _gateway.Lifecycle.Fail(_gateway.Lifecycle.Started[1], "no such image");
        _gateway.Reaper().Reap();

        Assert.Equal(3, _gateway.Lifecycle.Started.Count);
        Assert.Equal(2, _gateway.Pools.Get(version).Snapshot().Count);
    }

    [Fact]
    public async Task Reap_PoolOfAVersionNoLongerLive_IsRetired_AndForgottenOnceDrained()
    {
        // A call routed to v1 just before v2 went live makes v1's pool after the table's change was announced.
        var v1 = Version(Config(concurrency: 1, maxContainers: 2));
        await _gateway.GoLiveAsync(Version(Config(), version: 2));
        var stale = _gateway.Pools.Get(v1);
        var busy = await _gateway.Lifecycle.AcquireReadyAsync(stale);
        var idle = await _gateway.Lifecycle.AcquireReadyAsync(stale);
        stale.Release(idle.Container!, ReleaseDisposition.Healthy);
        Assert.True(stale.IsLive);

        _gateway.Reaper().Reap();

        Assert.False(stale.IsLive);
        Assert.Same(idle.Container, Assert.Single(_gateway.Lifecycle.Removed));
        Assert.Contains(stale, _gateway.Pools.Snapshot());

        stale.Release(busy.Container!, ReleaseDisposition.Healthy);
        _gateway.Reaper().Reap();

        Assert.Equal(2, _gateway.Lifecycle.Removed.Count);
        Assert.DoesNotContain(stale, _gateway.Pools.Snapshot());
    }

    [Fact]
    public async Task Reap_LivePoolWithNothingLeft_IsKept()
    {
        var version = Version(Config(idleTimeout: TimeSpan.FromMinutes(1)));
        var container = await IdleContainerAsync(version);
        var pool = _gateway.Pools.Get(version);

        _gateway.Time.Advance(TimeSpan.FromMinutes(1));
        _gateway.Reaper().Reap();

        Assert.Same(container, Assert.Single(_gateway.Lifecycle.Removed));
        Assert.True(pool.IsEmpty);
        Assert.Same(pool, Assert.Single(_gateway.Pools.Snapshot()));
    }

    [Fact]
    public async Task Running_PassesAtStartAndAtEachReapInterval()
    {
        var version = Version(Config(maxContainers: 5, minWarm: 1));
        await _gateway.GoLiveAsync(version);
        using var reaper = _gateway.Reaper();

        await reaper.StartAsync(CancellationToken.None);
        await _gateway.Lifecycle.WhenStartedAsync(1).WaitAsync(s_hang);

        // The first pass made its timer before it started the container; the clock moves one interval on it.
        _gateway.Lifecycle.Fail(_gateway.Lifecycle.Started[0], "no such image");
        _gateway.Time.Advance(_gateway.Options.ReapInterval);
        await _gateway.Lifecycle.WhenStartedAsync(2).WaitAsync(s_hang);

        await reaper.StopAsync(CancellationToken.None);
        Assert.Equal(2, _gateway.Lifecycle.Started.Count);
    }

    /// <summary>Makes <paramref name="version"/> live with one container that has just ended its call.</summary>
    private async Task<FunctionContainer> IdleContainerAsync(Epsilon.Core.Model.FunctionVersion version)
    {
        await _gateway.GoLiveAsync(version);
        var pool = _gateway.Pools.Get(version);
        var call = await _gateway.Lifecycle.AcquireReadyAsync(pool);
        pool.Release(call.Container!, ReleaseDisposition.Healthy);
        return call.Container!;
    }
}
