namespace Epsilon.Gateway.Pooling;

/// <summary>
/// The gateway's capacity, shared by all its pools: containers at most, and their memory limits summed at most. A pool
/// reserves a container's share before it starts one and gives it back when the container is gone; a pool that cannot
/// reserve is saturated, and the fleet sends its overflow to the next gateway of the function's ranking.
/// </summary>
internal sealed class ContainerBudget(int maxContainers, long maxMemoryBytes)
{
    private readonly Lock _lock = new();
    private int _containers;
    private long _memoryBytes;
    private TaskCompletionSource? _roomFreed;
    private TaskCompletionSource? _roomWanted;

    /// <summary>No limit: a gateway alone, or a test.</summary>
    public static ContainerBudget Unlimited { get; } = new(int.MaxValue, long.MaxValue);

    public int MaxContainers { get; } = maxContainers;

    public long MaxMemoryBytes { get; } = maxMemoryBytes;

    /// <summary>Containers reserved now.</summary>
    public int Containers
    {
        get
        {
            lock (_lock)
            {
                return _containers;
            }
        }
    }

    /// <summary>Whether a container of <paramref name="memoryBytes"/> would fit now.</summary>
    public bool HasRoom(long memoryBytes)
    {
        lock (_lock)
        {
            return _containers < MaxContainers && _memoryBytes + memoryBytes <= MaxMemoryBytes;
        }
    }

    /// <summary>Reserves room for one container of <paramref name="memoryBytes"/>; false when it does not fit.</summary>
    public bool TryReserve(long memoryBytes)
    {
        lock (_lock)
        {
            if (_containers >= MaxContainers || _memoryBytes + memoryBytes > MaxMemoryBytes)
            {
                return false;
            }

            _containers++;
            _memoryBytes += memoryBytes;
            return true;
        }
    }

    /// <summary>Completes the next time room is given back: calls held back by the capacity look again then.</summary>
    public Task RoomFreed
    {
        get
        {
            lock (_lock)
            {
                return (_roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    /// <summary>Completes the next time a pool wanted room and found none: the evictor frees an idle container then.</summary>
    public Task RoomWanted
    {
        get
        {
            lock (_lock)
            {
                return (_roomWanted ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    /// <summary>Says that a pool could not reserve room for a container a call needs.</summary>
    public void WantRoom()
    {
        TaskCompletionSource? wanted;
        lock (_lock)
        {
            wanted = _roomWanted;
            _roomWanted = null;
        }

        wanted?.TrySetResult();
    }

    /// <summary>Gives back what <see cref="TryReserve"/> took.</summary>
    public void Release(long memoryBytes)
    {
        TaskCompletionSource? freed;
        lock (_lock)
        {
            _containers--;
            _memoryBytes -= memoryBytes;
            freed = _roomFreed;
            _roomFreed = null;
        }

        freed?.TrySetResult();
    }
}
