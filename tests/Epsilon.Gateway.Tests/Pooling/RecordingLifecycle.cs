using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>Records what a pool asks for; the test plays the container runtime and ends each start itself.</summary>
internal sealed class RecordingLifecycle(Action<FunctionPool, FunctionContainer>? onStart = null) : IContainerLifecycle
{
    private readonly Lock _lock = new();
    private readonly List<FunctionContainer> _started = [];
    private readonly List<FunctionContainer> _removed = [];

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

    // Called under the pool's lock at times: only record, never call back into the pool.
    public void Start(FunctionPool pool, FunctionContainer container)
    {
        lock (_lock)
        {
            _started.Add(container);
        }

        onStart?.Invoke(pool, container);
    }

    public void Remove(FunctionContainer container)
    {
        lock (_lock)
        {
            _removed.Add(container);
        }
    }

    /// <summary>Pauses and resumes asked for, in order, as ("pause"|"resume", container).</summary>
    public List<(string Action, FunctionContainer Container)> Transitions { get; } = [];

    /// <summary>Completes each pause or resume; a test may set it to a pending task to hold the transition.</summary>
    public Func<FunctionContainer, Task> Transition { get; set; } = _ => Task.CompletedTask;

    public Task PauseAsync(FunctionContainer container, Task previous) => Record("pause", container, previous);

    public Task ResumeAsync(FunctionContainer container, Task previous) => Record("resume", container, previous);

    private async Task Record(string action, FunctionContainer container, Task previous)
    {
        lock (_lock)
        {
            Transitions.Add((action, container));
        }

        await previous;
        await Transition(container);
    }
}
