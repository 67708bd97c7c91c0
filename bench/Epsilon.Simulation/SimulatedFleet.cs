namespace Epsilon.Simulation;

/// <summary>
/// The containers of every simulated gateway. A container serves one call at a time. A call takes the function's most
/// recently used idle container on the gateway (warm), or starts one (cold) while the function is under its limit and
/// the gateway under its capacity, removing the gateway's least recently used idle container when it is full; a
/// container idle for the keep-alive is removed. Indices stand for gateways, functions and containers; the arrays
/// make a fleet of 100 x 10,000 cheap to run for an hour.
/// </summary>
internal sealed class SimulatedFleet
{
    private const int None = -1;

    private readonly int _functions;
    private readonly int _capacity;
    private readonly int _maxPerFunction;
    private readonly double _keepAlive;

    // Per gateway: containers held and busy, and its idle containers in the order they went idle (a doubly linked list
    // through _idleOlder/_idleNewer), which serves both the keep-alive and the choice of whom to evict.
    private readonly int[] _held;
    private readonly int[] _busy;
    private readonly int[] _oldestIdle;
    private readonly int[] _newestIdle;

    // Per (gateway, function), at gateway * functions + function: containers held, and the idle ones, newest first
    // (through _pairOlder/_pairNewer; no end is kept for the oldest).
    private readonly short[] _pairHeld;
    private readonly int[] _pairNewestIdle;

    // Per container slot.
    private readonly int[] _function;
    private readonly int[] _gateway;
    private readonly double[] _idleSince;
    private readonly int[] _idleOlder;
    private readonly int[] _idleNewer;
    private readonly int[] _pairOlder;
    private readonly int[] _pairNewer;
    private readonly int[] _freeSlots;
    private int _freeCount;

    public SimulatedFleet(int gateways, int functions, int capacity, int maxPerFunction, double keepAliveSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gateways);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(functions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPerFunction, short.MaxValue);
        Gateways = gateways;
        _functions = functions;
        _capacity = capacity;
        _maxPerFunction = maxPerFunction;
        _keepAlive = keepAliveSeconds;

        _held = new int[gateways];
        _busy = new int[gateways];
        _oldestIdle = Filled(gateways);
        _newestIdle = Filled(gateways);
        _pairHeld = new short[gateways * functions];
        _pairNewestIdle = Filled(gateways * functions);

        var slots = gateways * capacity;
        _function = new int[slots];
        _gateway = new int[slots];
        _idleSince = new double[slots];
        _idleOlder = new int[slots];
        _idleNewer = new int[slots];
        _pairOlder = new int[slots];
        _pairNewer = new int[slots];
        _freeSlots = new int[slots];
        for (var i = 0; i < slots; i++)
        {
            _freeSlots[i] = slots - 1 - i;
        }

        _freeCount = slots;
    }

    public int Gateways { get; }

    /// <summary>Containers started.</summary>
    public long ColdStarts { get; private set; }

    /// <summary>Calls taken by an idle container.</summary>
    public long WarmStarts { get; private set; }

    /// <summary>Idle containers removed to make room for another function's.</summary>
    public long Evictions { get; private set; }

    /// <summary>Idle containers removed after the keep-alive.</summary>
    public long Expirations { get; private set; }

    /// <summary>Containers the gateway holds, busy or idle (as of its last expiry).</summary>
    public int Held(int gateway) => _held[gateway];

    /// <summary>Containers of the gateway serving a call.</summary>
    public int Busy(int gateway) => _busy[gateway];

    /// <summary>Containers of <paramref name="function"/> on the gateway, busy or idle (as of its last expiry).</summary>
    public int Held(int gateway, int function) => _pairHeld[gateway * _functions + function];

    /// <summary>
    /// Whether the gateway cannot take a call of <paramref name="function"/> at <paramref name="now"/> without waiting:
    /// no idle container of it, and no room for another (the function at its limit, or the gateway full with none idle).
    /// </summary>
    public bool IsSaturated(int gateway, int function, double now)
    {
        Expire(gateway, now);
        var pair = gateway * _functions + function;
        return _pairNewestIdle[pair] == None
            && (_pairHeld[pair] >= _maxPerFunction || (_held[gateway] >= _capacity && _oldestIdle[gateway] == None));
    }

    /// <summary>Gives a call of <paramref name="function"/> a container on the gateway at <paramref name="now"/>.</summary>
    /// <param name="container">The container now busy with the call; release it with <see cref="Release"/>.</param>
    public ServeOutcome Serve(int gateway, int function, double now, out int container)
    {
        Expire(gateway, now);
        var pair = gateway * _functions + function;
        container = _pairNewestIdle[pair];
        if (container != None)
        {
            Unlink(container);
            _busy[gateway]++;
            WarmStarts++;
            return ServeOutcome.Warm;
        }

        if (_pairHeld[pair] >= _maxPerFunction)
        {
            return ServeOutcome.Rejected;
        }

        if (_held[gateway] >= _capacity)
        {
            // The function has no idle container here, so the oldest idle one is another function's.
            var victim = _oldestIdle[gateway];
            if (victim == None)
            {
                return ServeOutcome.Rejected;
            }

            Remove(victim);
            Evictions++;
        }

        container = _freeSlots[--_freeCount];
        _function[container] = function;
        _gateway[container] = gateway;
        _held[gateway]++;
        _pairHeld[pair]++;
        _busy[gateway]++;
        ColdStarts++;
        return ServeOutcome.Cold;
    }

    /// <summary>The container's call ended at <paramref name="now"/>: it waits idle for the next.</summary>
    public void Release(int container, double now)
    {
        var gateway = _gateway[container];
        _busy[gateway]--;
        _idleSince[container] = now;

        // Calls end in time order, so the gateway's list stays ordered by the time its containers went idle.
        Push(container, _idleOlder, _idleNewer, ref _newestIdle[gateway], ref _oldestIdle[gateway]);
        var noOldest = None;
        Push(container, _pairOlder, _pairNewer, ref _pairNewestIdle[gateway * _functions + _function[container]], ref noOldest);
    }

    /// <summary>Removes the gateway's containers idle for the keep-alive at <paramref name="now"/>.</summary>
    public void Expire(int gateway, double now)
    {
        var oldest = _oldestIdle[gateway];
        while (oldest != None && _idleSince[oldest] + _keepAlive <= now)
        {
            Remove(oldest);
            Expirations++;
            oldest = _oldestIdle[gateway];
        }
    }

    /// <summary>Containers held over the fleet at <paramref name="now"/>, after removing the expired ones everywhere.</summary>
    public int ExpireAndCountHeld(double now)
    {
        var held = 0;
        for (var g = 0; g < Gateways; g++)
        {
            Expire(g, now);
            held += _held[g];
        }

        return held;
    }

    private void Remove(int container)
    {
        Unlink(container);
        var gateway = _gateway[container];
        _held[gateway]--;
        _pairHeld[gateway * _functions + _function[container]]--;
        _freeSlots[_freeCount++] = container;
    }

    // Takes an idle container out of both idle lists.
    private void Unlink(int container)
    {
        var gateway = _gateway[container];
        Unlink(container, _idleOlder, _idleNewer, ref _newestIdle[gateway], ref _oldestIdle[gateway]);
        var noOldest = None;
        Unlink(container, _pairOlder, _pairNewer, ref _pairNewestIdle[gateway * _functions + _function[container]], ref noOldest);
    }

    private static void Push(int node, int[] older, int[] newer, ref int newest, ref int oldest)
    {
        older[node] = newest;
        newer[node] = None;
        if (newest != None)
        {
            newer[newest] = node;
        }
        else
        {
            oldest = node;
        }

        newest = node;
    }

    private static void Unlink(int node, int[] older, int[] newer, ref int newest, ref int oldest)
    {
        if (older[node] != None)
        {
            newer[older[node]] = newer[node];
        }
        else
        {
            oldest = newer[node];
        }

        if (newer[node] != None)
        {
            older[newer[node]] = older[node];
        }
        else
        {
            newest = older[node];
        }
    }

    private static int[] Filled(int length)
    {
        var array = new int[length];
        Array.Fill(array, None);
        return array;
    }
}
