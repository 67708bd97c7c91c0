namespace Epsilon.Gateway.Fleet;

/// <summary>Counts the calls this gateway is serving, so a drain can wait for the last to end.</summary>
internal sealed class InFlightCalls
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource? _idle;

    /// <summary>Calls under way.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts a call in; dispose the result when it ends.</summary>
    public Scope Enter()
    {
        Interlocked.Increment(ref _count);
        return new Scope(this);
    }

    /// <summary>Completes when no call is under way.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _count) != 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_count == 0 && _idle is { } idle)
            {
                _idle = null;
                idle.TrySetResult();
            }
        }
    }

    /// <summary>One call's membership in the count.</summary>
    public readonly struct Scope(InFlightCalls calls) : IDisposable
    {
        public void Dispose() => calls.Exit();
    }
}
