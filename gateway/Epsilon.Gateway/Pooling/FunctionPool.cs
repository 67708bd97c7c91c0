using Epsilon.Core.Model;
using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// The containers of one function version on this gateway, and the calls waiting for them. A call takes a slot
/// (one of <see cref="FunctionConfig.Concurrency"/> per container) on a starting or ready container; when every slot
/// is taken a new container starts, one at a time, up to <see cref="FunctionConfig.MaxContainers"/>; beyond that calls
/// wait in a bounded queue and are handed slots as calls end or containers get ready. It asks its <see cref="IContainerLifecycle"/> to start, pause,
/// resume and remove containers, and learns a container's readiness and exit from what those calls return.
/// </summary>
internal sealed class FunctionPool(FunctionVersion version, IContainerLifecycle lifecycle, TimeProvider timeProvider, int maxQueueLength,
    ContainerBudget? budget = null, bool direct = false)
{
    private readonly ContainerBudget _budget = budget ?? ContainerBudget.Unlimited;
    private readonly Lock _lock = new();
    private readonly List<FunctionContainer> _containers = [];
    private readonly LinkedList<TaskCompletionSource<FunctionContainer>> _waiters = new();

    /// <summary>How often a call past its queue timeout, waiting behind a cold start, looks whether the start has ended.</summary>
    private static readonly TimeSpan StartingRecheck = TimeSpan.FromMilliseconds(100);

    public FunctionVersion Version { get; } = version;

    /// <summary>Whether calls may still be sent to this version (false once another version went live).</summary>
    public bool IsLive { get; private set; } = true;

    /// <summary>
    /// Made for calls that name a version no alias reaches (<c>/fn@v3/</c>): it keeps no <c>minWarm</c>, so once idle it
    /// empties and is retired, instead of holding containers for a version nothing routes to.
    /// </summary>
    public bool Direct { get; } = direct;

    /// <summary>Idle containers kept however long they idle.</summary>
    private int KeptWarm => IsLive && !Direct ? Version.Config.MinWarm : 0;

    /// <summary>Takes a slot for one call, starting a container or waiting in the queue when needed.</summary>
    public async ValueTask<AcquireResult> AcquireAsync(TimeSpan queueTimeout, CancellationToken cancellationToken, bool retried = false)
    {
        FunctionContainer? container;
        TaskCompletionSource<FunctionContainer>? waiter = null;
        LinkedListNode<TaskCompletionSource<FunctionContainer>>? node = null;
        var coldStart = false;
        lock (_lock)
        {
            if (!IsLive)
            {
                return AcquireResult.Failed(AcquireError.VersionRetired, $"function '{Version.Function}' v{Version.Version} is no longer live");
            }

            container = TakeSlot(out coldStart);
            if (container is null)
            {
                if (_waiters.Count >= maxQueueLength)
                {
                    return AcquireResult.Failed(AcquireError.QueueFull,
                        $"function '{Version.Function}' is at its limit of {Version.Config.MaxContainers} container(s) and {maxQueueLength} waiting call(s)");
                }

                waiter = new TaskCompletionSource<FunctionContainer>(TaskCreationOptions.RunContinuationsAsynchronously);
                node = _waiters.AddLast(waiter);
            }
        }

        if (waiter is not null)
        {
            try
            {
                container = await WaitForSlotAsync(waiter.Task, queueTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (VersionRetiredException)
            {
                return AcquireResult.Failed(AcquireError.VersionRetired, $"function '{Version.Function}' v{Version.Version} is no longer live");
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                lock (_lock)
                {
                    if (node!.List is not null)
                    {
                        _waiters.Remove(node);
                    }
                }

                // A slot handed over just as the wait ended belongs to us: give it back.
                if (waiter.Task.IsCompletedSuccessfully)
                {
                    Release(waiter.Task.Result, ReleaseDisposition.Healthy);
                }

                if (ex is OperationCanceledException)
                {
                    throw;
                }

                return AcquireResult.Failed(AcquireError.QueueTimedOut,
                    $"function '{Version.Function}' stayed busy for {queueTimeout.TotalSeconds:0.#} s");
            }
        }

        if (coldStart)
        {
            Start(container!);
        }

        try
        {
            await container!.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            await container.Transition.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ColdStartException ex)
        {
            Release(container!, ReleaseDisposition.Dead);
            return AcquireResult.Failed(AcquireError.ColdStartFailed, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The thaw failed: the container is gone or broken. Drop it and try once more with what is left.
            Release(container!, ReleaseDisposition.Dead);
            return retried
                ? AcquireResult.Failed(AcquireError.ColdStartFailed, $"function '{Version.Function}' could not be resumed: {ex.Message}")
                : await AcquireAsync(queueTimeout, cancellationToken, retried: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Release(container!, ReleaseDisposition.Healthy);
            throw;
        }

        return new AcquireResult(container, AcquireError.None, null, coldStart);
    }

    /// <summary>
    /// Waits for a slot handed over by a call ending here, or, when the gateway's capacity held this pool back, for room
    /// given back by any pool of the gateway, then hands out what fits. The waiting call wakes on its own wait: no pool
    /// calls into another.
    /// </summary>
    private async Task<FunctionContainer> WaitForSlotAsync(Task<FunctionContainer> slot, TimeSpan queueTimeout, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetTimestamp() + (long)(queueTimeout.TotalSeconds * timeProvider.TimestampFrequency);
        while (true)
        {
            var room = _budget.RoomFreed;
            var remaining = TimeSpan.FromSeconds((double)(deadline - timeProvider.GetTimestamp()) / timeProvider.TimestampFrequency);
            if (remaining <= TimeSpan.Zero)
            {
                bool starting;
                lock (_lock)
                {
                    starting = _containers.Exists(c => c.State == FunctionContainerState.Starting);
                }

                // Queued behind a cold start, the call waits for it (bounded by ColdStartTimeout): that container brings its
                // slot. Cut at the queue timeout instead, the calls of a burst's last functions got 429 (12.6% of 1,000).
                if (!starting)
                {
                    throw new TimeoutException();
                }

                remaining = StartingRecheck;
            }

            var woken = await Task.WhenAny(slot, room, Task.Delay(remaining, timeProvider, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (woken == slot)
            {
                return await slot.ConfigureAwait(false);
            }

            List<FunctionContainer>? starts;
            lock (_lock)
            {
                starts = DispatchLocked();
            }

            Start(starts);
        }
    }

    /// <summary>Ends one call on <paramref name="container"/>.</summary>
    public void Release(FunctionContainer container, ReleaseDisposition disposition)
    {
        List<FunctionContainer>? starts;
        lock (_lock)
        {
            container.InFlight--;
            container.LastUsed = timeProvider.GetTimestamp();
            switch (disposition)
            {
                case ReleaseDisposition.Dead:
                    container.State = FunctionContainerState.Dead;
                    break;
                case ReleaseDisposition.Retire when container.State is not FunctionContainerState.Dead:
                    container.State = FunctionContainerState.Retired;
                    break;
            }

            CollectLocked(container);
            starts = DispatchLocked();
        }

        Start(starts);
    }

    /// <summary>Another version went live: finish the calls under way, then remove every container.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            IsLive = false;
            while (_waiters.First is { } waiter)
            {
                _waiters.RemoveFirst();
                waiter.Value.TrySetException(new VersionRetiredException());
            }

            foreach (var container in _containers.ToList())
            {
                if (container.State is FunctionContainerState.Ready or FunctionContainerState.Starting or FunctionContainerState.Paused)
                {
                    container.State = FunctionContainerState.Retired;
                }

                CollectLocked(container);
            }
        }
    }

    /// <summary>Retires ready containers idle for longer than the function's idle timeout, keeping <c>minWarm</c>.</summary>
    public int ReapIdle()
    {
        var idleTimeout = Version.Config.IdleTimeout;
        var reaped = 0;
        lock (_lock)
        {
            var ready = _containers.Count(c => c.State is FunctionContainerState.Ready or FunctionContainerState.Paused);
            var keep = KeptWarm;
            foreach (var container in _containers.Where(c => c.State is (FunctionContainerState.Ready or FunctionContainerState.Paused) && c.InFlight == 0)
                         .OrderBy(c => c.LastUsed).ToList())
            {
                if (ready <= keep || timeProvider.GetElapsedTime(container.LastUsed) < idleTimeout)
                {
                    break;
                }

                container.State = FunctionContainerState.Retired;
                CollectLocked(container);
                ready--;
                reaped++;
            }
        }

        return reaped;
    }

    /// <summary>When the least recently used idle container beyond <c>minWarm</c> was last used; null when there is none.</summary>
    public long? OldestIdle
    {
        get
        {
            lock (_lock)
            {
                return EvictableLocked()?.LastUsed;
            }
        }
    }

    /// <summary>Retires the least recently used idle container beyond <c>minWarm</c>, whatever its idle time: the gateway needs its room.</summary>
    public bool EvictOldestIdle()
    {
        lock (_lock)
        {
            if (EvictableLocked() is not { } container)
            {
                return false;
            }

            container.State = FunctionContainerState.Retired;
            CollectLocked(container);
            return true;
        }
    }

    private FunctionContainer? EvictableLocked()
    {
        var idle = _containers.Where(c => c.State is FunctionContainerState.Ready or FunctionContainerState.Paused && c.InFlight == 0).ToList();
        var running = _containers.Count(c => c.State is FunctionContainerState.Ready or FunctionContainerState.Paused);
        return running <= KeptWarm ? null : idle.MinBy(c => c.LastUsed);
    }

    /// <summary>Freezes ready containers that have had no call for <paramref name="after"/>.</summary>
    public int PauseIdle(TimeSpan after)
    {
        var paused = 0;
        lock (_lock)
        {
            foreach (var container in _containers)
            {
                if (container.State == FunctionContainerState.Ready && container.InFlight == 0
                    && timeProvider.GetElapsedTime(container.LastUsed) >= after)
                {
                    container.State = FunctionContainerState.Paused;
                    container.Transition = lifecycle.PauseAsync(container, container.Transition);
                    paused++;
                }
            }
        }

        return paused;
    }

    /// <summary>Starts containers until <c>minWarm</c> are running or starting.</summary>
    public void EnsureMinWarm()
    {
        var toStart = new List<FunctionContainer>();
        lock (_lock)
        {
            if (!IsLive)
            {
                return;
            }

            var running = _containers.Count(c => c.State is FunctionContainerState.Ready or FunctionContainerState.Starting or FunctionContainerState.Paused);
            for (var i = running; i < Version.Config.MinWarm && _containers.Count < Version.Config.MaxContainers
                 && _budget.TryReserve(Version.Config.MemoryBytes); i++)
            {
                var container = new FunctionContainer(Version, timeProvider.GetTimestamp());
                _containers.Add(container);
                toStart.Add(container);
            }
        }

        Start(toStart);
    }

    /// <summary>
    /// Whether a call now would have to wait: every container's slots taken and no room for another, whether from the
    /// function's <c>maxContainers</c> or the gateway's capacity, or calls already waiting.
    /// </summary>
    public bool IsSaturated
    {
        get
        {
            lock (_lock)
            {
                if (_waiters.Count > 0)
                {
                    return true;
                }

                var concurrency = Version.Config.Concurrency;
                foreach (var container in _containers)
                {
                    if (container.InFlight < concurrency
                        && container.State is FunctionContainerState.Ready or FunctionContainerState.Starting or FunctionContainerState.Paused)
                    {
                        return false;
                    }
                }

                return _containers.Count >= Version.Config.MaxContainers || !_budget.HasRoom(Version.Config.MemoryBytes);
            }
        }
    }

    /// <summary>Whether nothing is left: no container and no waiting call.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _containers.Count == 0 && _waiters.Count == 0;
            }
        }
    }

    /// <summary>A copy of the containers, for reporting and shutdown.</summary>
    public IReadOnlyList<FunctionContainer> Snapshot()
    {
        lock (_lock)
        {
            return _containers.ToList();
        }
    }

    /// <summary>A container with a free slot, preferring ready ones, or a new one to start; null when at the limit.</summary>
    private FunctionContainer? TakeSlot(out bool coldStart)
    {
        coldStart = false;
        if (!IsLive)
        {
            return null;
        }

        var concurrency = Version.Config.Concurrency;
        FunctionContainer? best = null;
        foreach (var container in _containers)
        {
            if (container.InFlight >= concurrency
                || container.State is not (FunctionContainerState.Ready or FunctionContainerState.Starting or FunctionContainerState.Paused))
            {
                continue;
            }

            // Fill the busiest ready container first so the others go idle and are paused, then reaped; thaw a paused
            // one only when no running container has room.
            if (best is null || Rank(container) > Rank(best) || (Rank(container) == Rank(best) && container.InFlight > best.InFlight))
            {
                best = container;
            }
        }

        if (best is { State: FunctionContainerState.Paused })
        {
            best.State = FunctionContainerState.Ready;
            best.Transition = lifecycle.ResumeAsync(best, best.Transition);
        }

        // One cold start at a time per pool: calls past a starting container's slots wait for it rather than each start
        // their own. A burst on a cold function then boots one runtime where it booted maxContainers, which on a small
        // VM starved every boot at once (1,000 calls on 20 functions: 75 boots in 28 s, and cold starts timed out); the
        // first ready container drains the queue, and the next start follows while calls still wait.
        var mayStart = best is null && _containers.Count < Version.Config.MaxContainers
            && !_containers.Exists(c => c.State == FunctionContainerState.Starting);
        if (mayStart && !_budget.TryReserve(Version.Config.MemoryBytes))
        {
            // The gateway is full: an idle container of another function is evicted for this one (CapacityEvictor).
            _budget.WantRoom();
        }
        else if (mayStart)
        {
            best = new FunctionContainer(Version, timeProvider.GetTimestamp());
            _containers.Add(best);
            coldStart = true;
        }

        if (best is not null)
        {
            best.InFlight++;
        }

        return best;
    }

    private static int Rank(FunctionContainer container) => container.State switch
    {
        FunctionContainerState.Ready => 2,
        FunctionContainerState.Starting => 1,
        _ => 0,
    };

    /// <summary>
    /// Hands free slots to waiting calls, adding containers for them when allowed. Returns the containers to start, which
    /// the caller starts once it has left the lock.
    /// </summary>
    private List<FunctionContainer>? DispatchLocked()
    {
        List<FunctionContainer>? starts = null;
        while (_waiters.First is { } first)
        {
            var container = TakeSlot(out var coldStart);
            if (container is null)
            {
                break;
            }

            _waiters.RemoveFirst();
            if (coldStart)
            {
                (starts ??= []).Add(container);
            }

            if (!first.Value.TrySetResult(container))
            {
                container.InFlight--;
            }
        }

        return starts;
    }

    private void Start(List<FunctionContainer>? containers)
    {
        foreach (var container in containers ?? [])
        {
            Start(container);
        }
    }

    /// <summary>Starts a container in the background and follows it: ready when its start succeeds, dead when it fails or stops.</summary>
    private void Start(FunctionContainer container) => _ = RunAsync(container);

    private async Task RunAsync(FunctionContainer container)
    {
        var start = await lifecycle.StartAsync(container).ConfigureAwait(false);
        if (start.Exited is not { } exited)
        {
            container.MarkFailed(start.Error!);
            MarkDead(container);
            return;
        }

        lock (_lock)
        {
            if (container.State == FunctionContainerState.Starting)
            {
                container.State = FunctionContainerState.Ready;
            }
        }

        // Calls assigned to it while it started may go now; calls still waiting get its free slots or the next start.
        container.Exited = exited;
        container.MarkReady();
        List<FunctionContainer>? starts;
        lock (_lock)
        {
            starts = DispatchLocked();
        }

        Start(starts);
        var exit = await exited.ConfigureAwait(false);
        if (!exit.GatewayStopping)
        {
            MarkDead(container);
        }
    }

    /// <summary>The container failed to start or stopped by itself (crash, exit, OOM kill): drop it and serve its waiters elsewhere.</summary>
    private void MarkDead(FunctionContainer container)
    {
        List<FunctionContainer>? starts;
        lock (_lock)
        {
            container.State = FunctionContainerState.Dead;
            CollectLocked(container);
            starts = DispatchLocked();
        }

        Start(starts);
    }

    /// <summary>Drops a dead or drained retired container from the pool and has it removed.</summary>
    private void CollectLocked(FunctionContainer container)
    {
        var done = container.State == FunctionContainerState.Dead
            || (container.State == FunctionContainerState.Retired && container.InFlight == 0);
        if (!done || container.Removed)
        {
            return;
        }

        container.Removed = true;
        _containers.Remove(container);
        _budget.Release(Version.Config.MemoryBytes);
        lifecycle.Remove(container);
    }
}
