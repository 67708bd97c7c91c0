using Microsoft.Extensions.Time.Testing;
using static Epsilon.Gateway.Pooling.TestFunctions;

namespace Epsilon.Gateway.Pooling;

/// <summary>The gateway's capacity shared by its pools, and the saturation fleet routing reads from them.</summary>
public sealed class ContainerBudgetTests
{
    private static readonly TimeSpan s_longWait = TimeSpan.FromMinutes(10);
    private readonly RecordingLifecycle _lifecycle = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryReserve_CountsContainersAndMemory_AndReleaseGivesThemBack()
    {
        var budget = new ContainerBudget(maxContainers: 2, maxMemoryBytes: 300);

        Assert.True(budget.TryReserve(100));
        Assert.True(budget.TryReserve(200));
        Assert.False(budget.TryReserve(1));
        budget.Release(200);
        Assert.False(budget.TryReserve(201));
        Assert.True(budget.TryReserve(200));
        Assert.Equal(2, budget.Containers);
    }

    [Fact]
    public async Task Pools_SharingABudget_StartNoMoreContainersThanItHolds_AndTheFullOneIsSaturated()
    {
        var budget = new ContainerBudget(maxContainers: 1, maxMemoryBytes: long.MaxValue);
        var first = new FunctionPool(Version(Config(maxContainers: 3), "first"), _lifecycle, _time, maxQueueLength: 4, budget);
        var second = new FunctionPool(Version(Config(maxContainers: 3), "second"), _lifecycle, _time, maxQueueLength: 4, budget);

        var call = first.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        _lifecycle.Ready(Assert.Single(_lifecycle.Started));
        var result = await call;

        Assert.True(first.IsSaturated, "its one container is busy and the gateway has no room for another");
        Assert.True(second.IsSaturated, "the gateway has no room for a container of it");
        var waiting = second.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        Assert.Single(_lifecycle.Started);
        Assert.False(waiting.IsCompleted);

        first.Release(result.Container!, ReleaseDisposition.Retire);

        // The room the first pool gave back goes to the call waiting in the second: it gets a container of its own.
        await _lifecycle.WhenStartedAsync(2);
        _lifecycle.Ready(_lifecycle.Started[1]);
        Assert.Equal(AcquireError.None, (await waiting).Error);
        Assert.True(first.IsSaturated, "the second pool holds the gateway's only room now");
        Assert.Equal(1, budget.Containers);
    }

    [Fact]
    public async Task IsSaturated_FreeSlotOrRoomForAnother_IsFalse_AllBusyAtMaxContainers_IsTrue()
    {
        var pool = new FunctionPool(Version(Config(concurrency: 2, maxContainers: 1)), _lifecycle, _time, maxQueueLength: 4);
        Assert.False(pool.IsSaturated);

        var one = pool.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        _lifecycle.Ready(Assert.Single(_lifecycle.Started));
        await one;
        Assert.False(pool.IsSaturated, "one slot of two is free");

        await pool.AcquireAsync(s_longWait, CancellationToken.None);
        Assert.True(pool.IsSaturated);
    }

    [Fact]
    public async Task FullGateway_AskedForRoom_EvictsTheOtherFunctionsIdleContainer_AndTheWaitingCallGetsIt()
    {
        var budget = new ContainerBudget(maxContainers: 1, maxMemoryBytes: long.MaxValue);
        var idle = new FunctionPool(Version(Config(maxContainers: 3), "idle"), _lifecycle, _time, maxQueueLength: 4, budget);
        var busy = new FunctionPool(Version(Config(maxContainers: 3), "busy"), _lifecycle, _time, maxQueueLength: 4, budget);
        var first = idle.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        _lifecycle.Ready(Assert.Single(_lifecycle.Started));
        idle.Release((await first).Container!, ReleaseDisposition.Healthy);
        var wanted = budget.RoomWanted;

        var waiting = busy.AcquireAsync(s_longWait, CancellationToken.None).AsTask();
        await wanted;
        Assert.NotNull(idle.OldestIdle);
        Assert.True(idle.EvictOldestIdle());

        await _lifecycle.WhenStartedAsync(2);
        _lifecycle.Ready(_lifecycle.Started[1]);
        Assert.Equal(AcquireError.None, (await waiting).Error);
        Assert.Null(idle.OldestIdle);
        Assert.Same(_lifecycle.Started[0], Assert.Single(_lifecycle.Removed));
    }
}
