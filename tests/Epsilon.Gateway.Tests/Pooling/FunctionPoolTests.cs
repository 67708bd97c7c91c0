using Epsilon.Core.Model;
using Epsilon.Gateway.Containers;
using Microsoft.Extensions.Time.Testing;
using static Epsilon.Gateway.Pooling.TestFunctions;

namespace Epsilon.Gateway.Pooling;

public sealed class FunctionPoolTests
{
    private static readonly TimeSpan s_longWait = TimeSpan.FromMinutes(10);

    private readonly RecordingLifecycle _lifecycle = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task AcquireAsync_FirstCall_StartsContainerAndWaitsForReady()
    {
        var pool = Pool(Config());

        var call = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        var container = Assert.Single(_lifecycle.Started);
        Assert.Equal(FunctionContainerState.Starting, container.State);
        Assert.False(call.IsCompleted, "the call must wait for the container to be ready");

        _lifecycle.Ready(container);
        var result = await call;

        Assert.Equal(AcquireError.None, result.Error);
        Assert.True(result.ColdStart);
        Assert.Same(container, result.Container);
        Assert.Equal("http://10.0.0.1:8080", result.Container!.Endpoint);
        Assert.Equal(1, container.InFlight);
        Assert.Equal(FunctionContainerState.Ready, container.State);
        Assert.Same(container, Assert.Single(pool.Snapshot()));
    }

    [Fact]
    public async Task AcquireAsync_StartReturnsRunning_TheCallGetsTheEndpointAndTimeoutTheStartSet()
    {
        var pool = Pool(Config());
        var call = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var container = Assert.Single(_lifecycle.Started);

        _lifecycle.Ready(container, timeout: TimeSpan.FromSeconds(3));

        var result = await call;
        Assert.Equal(AcquireError.None, result.Error);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Container!.Timeout);
        Assert.StartsWith("http://10.0.0.", result.Container.Endpoint);
    }

    [Fact]
    public async Task AcquireAsync_ConcurrencyTwo_SecondCallSharesTheStartingContainer()
    {
        var pool = Pool(Config(concurrency: 2, maxContainers: 5));

        var first = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var second = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        var container = Assert.Single(_lifecycle.Started);
        Assert.Equal(2, container.InFlight);
        _lifecycle.Ready(container);
        var results = await Task.WhenAll(first, second);
        Assert.All(results, r => Assert.Same(container, r.Container));
        Assert.True(results[0].ColdStart);
        Assert.False(results[1].ColdStart);
    }

    [Fact]
    public async Task AcquireAsync_ConcurrencyTwo_ThirdCallStartsASecondContainer()
    {
        var pool = Pool(Config(concurrency: 2, maxContainers: 5));
        var first = await AcquireReadyAsync(pool);
        var second = await pool.AcquireAsync(s_longWait, CancellationToken.None);

        var third = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        Assert.Same(first.Container, second.Container);
        Assert.Equal(2, _lifecycle.Started.Count);
        _lifecycle.Ready(_lifecycle.Started[1]);
        var result = await third;
        Assert.Same(_lifecycle.Started[1], result.Container);
        Assert.True(result.ColdStart);
    }

    [Fact]
    public async Task AcquireAsync_PastAStartingContainersSlots_WaitsForItAndTheNextStartFollowsItsReadiness()
    {
        var pool = Pool(Config(concurrency: 2, maxContainers: 5));
        var calls = Enumerable.Range(0, 5).Select(_ => pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask()).ToList();

        var first = Assert.Single(_lifecycle.Started);
        _lifecycle.Ready(first);
        await _lifecycle.WhenStartedAsync(2);
        _lifecycle.Ready(_lifecycle.Started[1]);
        await _lifecycle.WhenStartedAsync(3);
        _lifecycle.Ready(_lifecycle.Started[2]);
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(AcquireError.None, r.Error));
        Assert.Equal(3, _lifecycle.Started.Count);
        Assert.Equal([2, 2, 1], _lifecycle.Started.Select(c => c.InFlight));
    }

    [Fact]
    public async Task AcquireAsync_WarmContainerWithFreeSlot_IsReusedWithoutStart()
    {
        var pool = Pool(Config());
        var first = await AcquireReadyAsync(pool);
        pool.Release(first.Container!, ReleaseDisposition.Healthy);

        var second = await pool.AcquireAsync(s_longWait, CancellationToken.None);

        Assert.Equal(AcquireError.None, second.Error);
        Assert.False(second.ColdStart);
        Assert.Same(first.Container, second.Container);
        Assert.Single(_lifecycle.Started);
    }

    [Fact]
    public async Task AcquireAsync_AllSlotsTakenAtMaxContainers_QueuesUntilReleaseHandsTheSlotOver()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 1));
        var holder = await AcquireReadyAsync(pool);

        var waiting = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        Assert.False(waiting.IsCompleted);
        Assert.Single(_lifecycle.Started);

        pool.Release(holder.Container!, ReleaseDisposition.Healthy);
        var result = await waiting;

        Assert.Equal(AcquireError.None, result.Error);
        Assert.Same(holder.Container, result.Container);
        Assert.False(result.ColdStart);
        Assert.Equal(1, holder.Container!.InFlight);
        Assert.Single(_lifecycle.Started);
        Assert.Empty(_lifecycle.Removed);
    }

    [Fact]
    public async Task AcquireAsync_SeveralWaiters_AreServedInArrivalOrder()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 1), maxQueueLength: 5);
        var holder = await AcquireReadyAsync(pool);
        var first = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var second = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        pool.Release(holder.Container!, ReleaseDisposition.Healthy);
        var firstResult = await first;

        Assert.Equal(AcquireError.None, firstResult.Error);
        Assert.False(second.IsCompleted);

        pool.Release(firstResult.Container!, ReleaseDisposition.Healthy);
        Assert.Equal(AcquireError.None, (await second).Error);
    }

    [Fact]
    public async Task AcquireAsync_QueueFull_ReturnsQueueFull()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 1), maxQueueLength: 1);
        await AcquireReadyAsync(pool);
        var queued = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        var rejected = await pool.AcquireAsync(s_longWait, CancellationToken.None);

        Assert.Equal(AcquireError.QueueFull, rejected.Error);
        Assert.Null(rejected.Container);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Message));
        Assert.False(queued.IsCompleted);
        Assert.Single(_lifecycle.Started);
    }

    [Fact]
    public async Task AcquireAsync_NoQueueAllowed_ReturnsQueueFullAtOnce()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 1), maxQueueLength: 0);
        await AcquireReadyAsync(pool);

        var rejected = await pool.AcquireAsync(s_longWait, CancellationToken.None);

        Assert.Equal(AcquireError.QueueFull, rejected.Error);
    }

    [Fact]
    public async Task AcquireAsync_QueueTimeoutOnRealClock_ReturnsQueueTimedOutAndLeavesTheQueue()
    {
        var pool = new FunctionPool(Version(Config(concurrency: 1, maxContainers: 1)), _lifecycle, TimeProvider.System, maxQueueLength: 1);
        var holder = await AcquireReadyAsync(pool);

        var timedOut = await pool.AcquireAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.Equal(AcquireError.QueueTimedOut, timedOut.Error);
        Assert.Null(timedOut.Container);

        // The timed-out call left the queue: the slot it would have had stays free, and the queue has room again.
        pool.Release(holder.Container!, ReleaseDisposition.Healthy);
        Assert.Equal(0, holder.Container!.InFlight);
        var next = await pool.AcquireAsync(s_longWait, CancellationToken.None);
        Assert.Same(holder.Container, next.Container);
    }

    [Fact]
    public async Task AcquireAsync_QueuedBehindAColdStart_WaitsPastTheQueueTimeoutForIt()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 2));
        var first = pool.AcquireAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        var waiting = pool.AcquireAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromSeconds(31));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        _lifecycle.Ready(Assert.Single(_lifecycle.Started));
        await _lifecycle.WhenStartedAsync(2);
        _lifecycle.Ready(_lifecycle.Started[1]);

        Assert.Equal(AcquireError.None, (await first).Error);
        Assert.Same(_lifecycle.Started[1], (await waiting).Container);
    }

    [Fact]
    public async Task AcquireAsync_QueueTimeoutOnFakeClock_ReturnsQueueTimedOutWhenTheClockPassesIt()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 1));
        await AcquireReadyAsync(pool);
        var waiting = pool.AcquireAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(AcquireError.QueueTimedOut, (await waiting).Error);
        Assert.Equal(1, pool.Snapshot().Single().InFlight);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileQueued_ThrowsAndGivesUpItsPlace()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 1), maxQueueLength: 1);
        var holder = await AcquireReadyAsync(pool);
        using var cancellation = new CancellationTokenSource();
        var waiting = pool.AcquireAsync(s_longWait, cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        pool.Release(holder.Container!, ReleaseDisposition.Healthy);
        Assert.Equal(0, holder.Container!.InFlight);
        Assert.Equal(AcquireError.None, (await pool.AcquireAsync(s_longWait, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task AcquireAsync_StartFails_EveryCallOnThatContainerGetsColdStartFailedAndItIsRemoved()
    {
        var pool = Pool(Config(concurrency: 2, maxContainers: 1));
        var first = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var second = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var container = Assert.Single(_lifecycle.Started);

        _lifecycle.Fail(container, "image not found");
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r =>
        {
            Assert.Equal(AcquireError.ColdStartFailed, r.Error);
            Assert.Equal("image not found", r.Message);
            Assert.Null(r.Container);
        });
        Assert.Same(container, Assert.Single(_lifecycle.Removed));
        Assert.Empty(pool.Snapshot());
        Assert.True(pool.IsEmpty);
    }

    [Fact]
    public async Task AcquireAsync_AfterFailedStart_StartsAFreshContainer()
    {
        var pool = Pool(Config());
        var failed = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        _lifecycle.Fail(_lifecycle.Started[0], "x");
        Assert.Equal(AcquireError.ColdStartFailed, (await failed).Error);

        var retry = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        Assert.Equal(2, _lifecycle.Started.Count);
        _lifecycle.Ready(_lifecycle.Started[1]);
        Assert.Equal(AcquireError.None, (await retry).Error);
    }

    [Fact]
    public async Task Release_Dead_RemovesContainerAtOnceEvenWithOtherCallsInFlight()
    {
        var pool = Pool(Config(concurrency: 2));
        var first = await AcquireReadyAsync(pool);
        var second = await pool.AcquireAsync(s_longWait, CancellationToken.None);
        var container = first.Container!;

        pool.Release(container, ReleaseDisposition.Dead);

        Assert.Same(container, Assert.Single(_lifecycle.Removed));
        Assert.Equal(FunctionContainerState.Dead, container.State);
        Assert.Empty(pool.Snapshot());

        pool.Release(second.Container!, ReleaseDisposition.Healthy);
        Assert.Single(_lifecycle.Removed);

        var next = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        Assert.Equal(2, _lifecycle.Started.Count);
        _lifecycle.Ready(_lifecycle.Started[1]);
        Assert.NotSame(container, (await next).Container);
    }

    [Fact]
    public async Task Release_Retire_RemovesContainerOnlyAfterItsOtherCallsEnd()
    {
        var pool = Pool(Config(concurrency: 2, maxContainers: 2));
        var first = await AcquireReadyAsync(pool);
        var second = await pool.AcquireAsync(s_longWait, CancellationToken.None);
        var container = first.Container!;

        pool.Release(container, ReleaseDisposition.Retire);

        Assert.Empty(_lifecycle.Removed);
        Assert.Equal(FunctionContainerState.Retired, container.State);

        // A retired container takes no new call: the next one starts another container.
        var third = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        Assert.Equal(2, _lifecycle.Started.Count);
        _lifecycle.Ready(_lifecycle.Started[1]);
        Assert.NotSame(container, (await third).Container);

        pool.Release(second.Container!, ReleaseDisposition.Healthy);

        Assert.Same(container, Assert.Single(_lifecycle.Removed));
        Assert.DoesNotContain(container, pool.Snapshot());
    }

    [Fact]
    public async Task Release_RetireOfLastCall_RemovesAtOnce()
    {
        var pool = Pool(Config());
        var call = await AcquireReadyAsync(pool);

        pool.Release(call.Container!, ReleaseDisposition.Retire);

        Assert.Same(call.Container, Assert.Single(_lifecycle.Removed));
    }

    [Fact]
    public async Task Exited_IdleContainer_IsRemovedAndNextCallStartsAnother()
    {
        var pool = Pool(Config());
        var call = await AcquireReadyAsync(pool);
        pool.Release(call.Container!, ReleaseDisposition.Healthy);

        _lifecycle.Exit(call.Container!);

        Assert.Same(call.Container, Assert.Single(_lifecycle.Removed));
        Assert.Empty(pool.Snapshot());
        var next = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        Assert.Equal(2, _lifecycle.Started.Count);
        _lifecycle.Ready(_lifecycle.Started[1]);
        Assert.True((await next).ColdStart);
    }

    [Fact]
    public async Task Exited_WithCallsQueued_StartsAReplacementForThem()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 1));
        var holder = await AcquireReadyAsync(pool);
        var waiting = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        _lifecycle.Exit(holder.Container!);

        Assert.Same(holder.Container, Assert.Single(_lifecycle.Removed));
        Assert.Equal(2, _lifecycle.Started.Count);
        _lifecycle.Ready(_lifecycle.Started[1]);
        var result = await waiting;
        Assert.Equal(AcquireError.None, result.Error);
        Assert.Same(_lifecycle.Started[1], result.Container);

        // The crashed call's own release afterwards changes nothing.
        pool.Release(holder.Container!, ReleaseDisposition.Dead);
        Assert.Single(_lifecycle.Removed);
        Assert.Same(_lifecycle.Started[1], Assert.Single(pool.Snapshot()));
    }

    [Fact]
    public async Task Exited_BecauseTheGatewayStops_LeavesTheContainerWhereItIs()
    {
        var pool = Pool(Config());
        var call = await AcquireReadyAsync(pool);
        pool.Release(call.Container!, ReleaseDisposition.Healthy);

        _lifecycle.StopGateway(call.Container!);

        // Whether it goes is RemoveContainersOnStop's say, not the pool's: no removal, no replacement.
        Assert.Empty(_lifecycle.Removed);
        Assert.Single(_lifecycle.Started);
        Assert.Equal(FunctionContainerState.Ready, Assert.Single(pool.Snapshot()).State);
    }

    [Fact]
    public void StartFails_WithNoCallWaiting_TheContainerIsRemovedAndMinWarmStartsAnother()
    {
        var pool = Pool(Config(maxContainers: 2, minWarm: 1));
        pool.EnsureMinWarm();

        _lifecycle.Fail(_lifecycle.Started[0], "no such image");

        Assert.Same(_lifecycle.Started[0], Assert.Single(_lifecycle.Removed));
        Assert.True(pool.IsEmpty);
        pool.EnsureMinWarm();
        Assert.Equal(2, _lifecycle.Started.Count);
    }

    [Fact]
    public async Task Retire_ThenAcquire_ReturnsVersionRetired()
    {
        var pool = Pool(Config());

        pool.Retire();
        var result = await pool.AcquireAsync(s_longWait, CancellationToken.None);

        Assert.False(pool.IsLive);
        Assert.Equal(AcquireError.VersionRetired, result.Error);
        Assert.Empty(_lifecycle.Started);
    }

    [Fact]
    public async Task Retire_WithQueuedCalls_FailsThemWithVersionRetiredAndDrainsBusyContainers()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 2), maxQueueLength: 5);
        var busy = await AcquireReadyAsync(pool);
        var idle = await AcquireReadyAsync(pool);
        pool.Release(idle.Container!, ReleaseDisposition.Healthy);
        var idleTaken = await pool.AcquireAsync(s_longWait, CancellationToken.None);
        Assert.Same(idle.Container, idleTaken.Container);
        var queued = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var alsoQueued = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        pool.Release(idleTaken.Container!, ReleaseDisposition.Healthy);
        var served = await queued;
        Assert.Equal(AcquireError.None, served.Error);
        pool.Release(served.Container!, ReleaseDisposition.Healthy);
        Assert.Equal(AcquireError.None, (await alsoQueued).Error);
        var stillQueued = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        Assert.False(stillQueued.IsCompleted);

        pool.Retire();

        Assert.Equal(AcquireError.VersionRetired, (await stillQueued).Error);

        // Both containers are busy (one call each): they stay until their calls end.
        Assert.Empty(_lifecycle.Removed);
        pool.Release(busy.Container!, ReleaseDisposition.Healthy);
        Assert.Same(busy.Container, Assert.Single(_lifecycle.Removed));
        pool.Release(idle.Container!, ReleaseDisposition.Healthy);
        Assert.Equal(2, _lifecycle.Removed.Count);
        Assert.True(pool.IsEmpty);
    }

    [Fact]
    public async Task Retire_IdleContainers_AreRemovedAtOnce()
    {
        var pool = Pool(Config());
        var call = await AcquireReadyAsync(pool);
        pool.Release(call.Container!, ReleaseDisposition.Healthy);

        pool.Retire();

        Assert.Same(call.Container, Assert.Single(_lifecycle.Removed));
        Assert.True(pool.IsEmpty);
    }

    [Fact]
    public async Task ReapIdle_ContainersIdleLongerThanIdleTimeout_AreRemovedKeepingMinWarmMostRecentlyUsed()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 3, minWarm: 1, idleTimeout: TimeSpan.FromMinutes(5)));
        var calls = new List<AcquireResult>();
        for (var i = 0; i < 3; i++)
        {
            calls.Add(await AcquireReadyAsync(pool));
        }

        foreach (var call in calls)
        {
            pool.Release(call.Container!, ReleaseDisposition.Healthy);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        // Idle for 3, 2 and 1 minutes: nothing yet.
        Assert.Equal(0, pool.ReapIdle());
        Assert.Empty(_lifecycle.Removed);

        // Idle for 7, 6 and 5 minutes: all past the timeout, but one is kept warm.
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(2, pool.ReapIdle());

        Assert.Equal([calls[0].Container!, calls[1].Container!], _lifecycle.Removed);
        Assert.Same(calls[2].Container, Assert.Single(pool.Snapshot()));
        Assert.Equal(0, pool.ReapIdle());
    }

    [Fact]
    public async Task ReapIdle_NoMinWarm_RemovesEveryIdleContainerButNotBusyOnes()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 2, idleTimeout: TimeSpan.FromSeconds(30)));
        var busy = await AcquireReadyAsync(pool);
        var idle = await AcquireReadyAsync(pool);
        pool.Release(idle.Container!, ReleaseDisposition.Healthy);

        _time.Advance(TimeSpan.FromMinutes(10));
        var reaped = pool.ReapIdle();

        Assert.Equal(1, reaped);
        Assert.Same(idle.Container, Assert.Single(_lifecycle.Removed));
        Assert.Same(busy.Container, Assert.Single(pool.Snapshot()));
    }

    [Fact]
    public void ReapIdle_StartingContainer_IsNotReaped()
    {
        var pool = Pool(Config(minWarm: 1, idleTimeout: TimeSpan.FromSeconds(1)));
        pool.EnsureMinWarm();

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, pool.ReapIdle());
        Assert.Single(pool.Snapshot());
    }

    [Fact]
    public async Task ReapIdle_RetiredPool_KeepsNoWarmContainer()
    {
        var pool = Pool(Config(minWarm: 1, maxContainers: 2, idleTimeout: TimeSpan.FromSeconds(30)));
        var call = await AcquireReadyAsync(pool);
        pool.Release(call.Container!, ReleaseDisposition.Healthy);

        pool.Retire();
        _time.Advance(TimeSpan.FromMinutes(1));
        pool.ReapIdle();

        Assert.True(pool.IsEmpty);
        Assert.Same(call.Container, Assert.Single(_lifecycle.Removed));
    }

    [Fact]
    public async Task EnsureMinWarm_StartsMinWarmContainersOnceAndCallsUseThem()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 5, minWarm: 2));

        pool.EnsureMinWarm();
        pool.EnsureMinWarm();

        Assert.Equal(2, _lifecycle.Started.Count);
        Assert.All(_lifecycle.Started, c => Assert.Equal(0, c.InFlight));
        foreach (var container in _lifecycle.Started)
        {
            _lifecycle.Ready(container);
        }

        var call = await pool.AcquireAsync(s_longWait, CancellationToken.None);

        Assert.False(call.ColdStart);
        Assert.Contains(call.Container, _lifecycle.Started);
        Assert.Equal(2, _lifecycle.Started.Count);
    }

    [Fact]
    public void EnsureMinWarm_MinWarmAboveMaxContainers_StopsAtMaxContainers()
    {
        var pool = Pool(Config(maxContainers: 2, minWarm: 3));

        pool.EnsureMinWarm();

        Assert.Equal(2, _lifecycle.Started.Count);
    }

    [Fact]
    public void EnsureMinWarm_AfterAWarmContainerExited_StartsAReplacement()
    {
        var pool = Pool(Config(maxContainers: 5, minWarm: 2));
        pool.EnsureMinWarm();
        _lifecycle.Ready(_lifecycle.Started[0]);
        _lifecycle.Ready(_lifecycle.Started[1]);

        _lifecycle.Exit(_lifecycle.Started[0]);
        pool.EnsureMinWarm();

        Assert.Equal(3, _lifecycle.Started.Count);
        Assert.Equal(2, pool.Snapshot().Count);
    }

    [Fact]
    public void EnsureMinWarm_RetiredPool_StartsNothing()
    {
        var pool = Pool(Config(minWarm: 2));

        pool.Retire();
        pool.EnsureMinWarm();

        Assert.Empty(_lifecycle.Started);
    }

    [Fact]
    public async Task AcquireAndRelease_ManyConcurrentCalls_NeverExceedConcurrencyAndAllAreServed()
    {
        const int concurrency = 2, maxContainers = 3, calls = 300;
        var lifecycle = new RecordingLifecycle(readyInBackground: true);
        var pool = new FunctionPool(Version(Config(concurrency, maxContainers)), lifecycle, _time, maxQueueLength: calls);
        var holding = new System.Collections.Concurrent.ConcurrentDictionary<FunctionContainer, int>();
        var overCommitted = 0;

        var results = await Task.WhenAll(Enumerable.Range(0, calls).Select(i => Task.Run(async () =>
        {
            var result = await pool.AcquireAsync(s_longWait, CancellationToken.None);
            if (result.Container is { } container)
            {
                if (holding.AddOrUpdate(container, 1, (_, n) => n + 1) > concurrency)
                {
                    Interlocked.Increment(ref overCommitted);
                }

                await Task.Yield();
                holding.AddOrUpdate(container, 0, (_, n) => n - 1);
                pool.Release(container, ReleaseDisposition.Healthy);
            }

            return result.Error;
        })));

        Assert.All(results, error => Assert.Equal(AcquireError.None, error));
        Assert.Equal(0, overCommitted);
        Assert.InRange(lifecycle.Started.Count, 1, maxContainers);
        Assert.Empty(lifecycle.Removed);
        Assert.All(pool.Snapshot(), c => Assert.Equal(0, c.InFlight));
    }

    private FunctionPool Pool(FunctionConfig config, int maxQueueLength = 10) => new(Version(config), _lifecycle, _time, maxQueueLength);

    private Task<AcquireResult> AcquireReadyAsync(FunctionPool pool) => _lifecycle.AcquireReadyAsync(pool);

    [Fact]
    public async Task PauseIdle_IdleReadyContainer_IsPausedAndTheNextCallResumesIt()
    {
        var pool = Pool(Config(concurrency: 2, maxContainers: 2));
        var call = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var container = Assert.Single(_lifecycle.Started);
        _lifecycle.Ready(container);
        pool.Release((await call).Container!, ReleaseDisposition.Healthy);

        Assert.Equal(0, pool.PauseIdle(TimeSpan.FromSeconds(30)));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, pool.PauseIdle(TimeSpan.FromSeconds(30)));
        Assert.Equal(FunctionContainerState.Paused, container.State);

        var resume = new TaskCompletionSource();
        _lifecycle.Transition = _ => resume.Task;
        var next = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();

        Assert.Same(container, Assert.Single(_lifecycle.Started));
        Assert.Equal([("pause", container), ("resume", container)], _lifecycle.Transitions);
        Assert.False(next.IsCompleted, "the call must wait for the thaw");
        resume.SetResult();
        var result = await next;
        Assert.Same(container, result.Container);
        Assert.False(result.ColdStart);
        Assert.Equal(FunctionContainerState.Ready, container.State);
    }

    [Fact]
    public async Task AcquireAsync_RunningContainerWithRoom_IsPreferredOverAPausedOne()
    {
        var pool = Pool(Config(concurrency: 2, maxContainers: 2));
        var first = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var second = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var third = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var a = Assert.Single(_lifecycle.Started);
        _lifecycle.Ready(a);
        await _lifecycle.WhenStartedAsync(2);
        var b = _lifecycle.Started[1];
        _lifecycle.Ready(b);
        var results = await Task.WhenAll(first, second, third);
        foreach (var result in results.Where(r => r.Container == b))
        {
            pool.Release(result.Container!, ReleaseDisposition.Healthy);
        }

        // a keeps one call, so it has one free slot.
        pool.Release(results.First(r => r.Container == a).Container!, ReleaseDisposition.Healthy);

        _time.Advance(TimeSpan.FromMinutes(1));
        pool.PauseIdle(TimeSpan.FromSeconds(30));
        Assert.Equal(FunctionContainerState.Paused, b.State);

        var next = await pool.AcquireAsync(s_longWait, CancellationToken.None);

        Assert.Same(a, next.Container);
        Assert.DoesNotContain(_lifecycle.Transitions, t => t.Action == "resume");
    }

    [Fact]
    public async Task AcquireAsync_ResumeFails_DropsTheContainerAndStartsAnother()
    {
        var pool = Pool(Config(concurrency: 1, maxContainers: 1));
        var call = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        var container = Assert.Single(_lifecycle.Started);
        _lifecycle.Ready(container);
        pool.Release((await call).Container!, ReleaseDisposition.Healthy);
        _time.Advance(TimeSpan.FromMinutes(1));
        pool.PauseIdle(TimeSpan.FromSeconds(30));
        _lifecycle.Transition = c => c == container ? Task.FromException(new InvalidOperationException("gone")) : Task.CompletedTask;

        var next = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        await _lifecycle.WhenStartedAsync(2);
        var replacement = _lifecycle.Started[1];
        _lifecycle.Ready(replacement);
        var result = await next;

        Assert.Same(replacement, result.Container);
        Assert.Contains(container, _lifecycle.Removed);
    }

}
