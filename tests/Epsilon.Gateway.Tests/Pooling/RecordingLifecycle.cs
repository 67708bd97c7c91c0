using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// Records what a pool asks for and plays the container runtime: each start stays pending until the test ends it with
/// <see cref="Ready"/> or <see cref="Fail"/>, and a ready container runs until <see cref="Exit"/>. Those complete the
/// pool's awaits on the test's own thread, so the pool has acted on them when they return.
/// </summary>
internal sealed class RecordingLifecycle(bool readyInBackground = false) : IContainerLifecycle
{
    private readonly Lock _lock = new();
    private readonly List<FunctionContainer> _started = [];
    private readonly List<FunctionContainer> _removed = [];
    private readonly Dictionary<FunctionContainer, Run> _runs = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _startWaiters = [];
    private int _containerCount;

    public IReadOnlyList<FunctionContainer> Started
    {
        get
        {
            lock (_lock)
            {
                return [.. _started];
            }
        }
    }

    public IReadOnlyList<FunctionContainer> Removed
    {
        get
        {
            lock (_lock)
            {
                return [.. _removed];
            }
        }
    }

    /// <summary>Pauses and resumes asked for, in order, as ("pause"|"resume", container).</summary>
    public List<(string Action, FunctionContainer Container)> Transitions { get; } = [];

    /// <summary>Completes each pause or resume; a test may set it to a pending task to hold the transition.</summary>
    public Func<FunctionContainer, Task> Transition { get; set; } = _ => Task.CompletedTask;

    public Task<StartResult> StartAsync(FunctionContainer container)
    {
        var run = new Run();
        List<TaskCompletionSource> reached;
        lock (_lock)
        {
            _started.Add(container);
            _runs.Add(container, run);
            reached = _startWaiters.Where(w => w.Count <= _started.Count).Select(w => w.Reached).ToList();
            _startWaiters.RemoveAll(w => w.Count <= _started.Count);
        }

        reached.ForEach(r => r.SetResult());
        if (readyInBackground)
        {
            _ = Task.Run(() => Ready(container));
        }

        return run.Start.Task;
    }

    /// <summary>Completes once <paramref name="count"/> starts in all were asked for.</summary>
    public Task WhenStartedAsync(int count)
    {
        lock (_lock)
        {
            if (_started.Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _startWaiters.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Takes a slot on <paramref name="pool"/>, making the container it started (if any) ready, and checks it was had.</summary>
    public async Task<AcquireResult> AcquireReadyAsync(FunctionPool pool)
    {
        var started = Started.Count;
        var call = pool.AcquireAsync(TimeSpan.FromMinutes(10), CancellationToken.None).AsTask();
        if (Started.Count > started)
        {
            Ready(Started[^1]);
        }

        var result = await call;
        Assert.Equal(AcquireError.None, result.Error);
        return result;
    }

    /// <summary>Ends a start as the runtime would: the container gets an id, an address and a timeout, and is ready.</summary>
    public void Ready(FunctionContainer container, TimeSpan? timeout = null)
    {
        var n = Interlocked.Increment(ref _containerCount);
        container.Id = $"{n:D2}0000000000000000";
        container.Endpoint = $"http://10.0.0.{n}:8080";
        container.Timeout = timeout ?? TimeSpan.FromSeconds(15);
        var run = RunOf(container);
        Complete(run.Start, StartResult.Running(run.Exit.Task));
    }

    /// <summary>Ends a start as failed.</summary>
    public void Fail(FunctionContainer container, string message) =>
        Complete(RunOf(container).Start, StartResult.Failed(new ColdStartException(message)));

    /// <summary>A ready container's process stops by itself.</summary>
    public void Exit(FunctionContainer container, long exitCode = 1) => Complete(RunOf(container).Exit, new ContainerExit(exitCode));

    /// <summary>A ready container's watch ends because the gateway stops.</summary>
    public void StopGateway(FunctionContainer container) => Complete(RunOf(container).Exit, new ContainerExit(-1, GatewayStopping: true));

    public Task PauseAsync(FunctionContainer container, Task previous) => Record("pause", container, previous);

    public Task ResumeAsync(FunctionContainer container, Task previous) => Record("resume", container, previous);

    // Called under the pool's lock: only record, never call back into the pool.
    public void Remove(FunctionContainer container)
    {
        lock (_lock)
        {
            _removed.Add(container);
        }
    }

    /// <summary>
    /// Completes <paramref name="source"/> with no synchronization context, as a runtime's thread-pool thread would: the
    /// pool's continuation then runs here, before this returns, instead of being queued (the test runner's context
    /// forbids running continuations inline).
    /// </summary>
    private static void Complete<T>(TaskCompletionSource<T> source, T result)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            source.SetResult(result);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private Run RunOf(FunctionContainer container)
    {
        lock (_lock)
        {
            return _runs[container];
        }
    }

    private async Task Record(string action, FunctionContainer container, Task previous)
    {
        lock (_lock)
        {
            Transitions.Add((action, container));
        }

        await previous;
        await Transition(container);
    }

    /// <summary>
    /// One container's start and exit. Their continuations run on the thread that completes them (no
    /// RunContinuationsAsynchronously): the pool has taken the outcome in when Ready, Fail or Exit returns.
    /// </summary>
    private sealed class Run
    {
        public TaskCompletionSource<StartResult> Start { get; } = new();

        public TaskCompletionSource<ContainerExit> Exit { get; } = new();
    }
}
