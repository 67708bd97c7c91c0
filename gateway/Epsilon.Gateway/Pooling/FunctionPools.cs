using System.Collections.Concurrent;
using Epsilon.Core.Model;
using Epsilon.Gateway.Containers;
using Epsilon.Gateway.Functions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// Every <see cref="FunctionPool"/> of this gateway, one per function version: made on a version's first call,
/// retired when neither live nor an alias reaches it any more (or, made for direct calls, once idle or its function is
/// gone), forgotten once retired and empty.
/// </summary>
internal sealed class FunctionPools : IDisposable
{
    private readonly ConcurrentDictionary<(string Function, int Version), FunctionPool> _pools = new();
    private readonly IContainerLifecycle _lifecycle;
    private readonly FunctionTableProvider _table;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxQueueLength;
    private readonly ContainerBudget _budget;

    public FunctionPools(IContainerLifecycle lifecycle, FunctionTableProvider table, IOptions<GatewayOptions> options, TimeProvider timeProvider,
        ContainerBudget? budget = null)
    {
        _budget = budget ?? ContainerBudget.Unlimited;
        _lifecycle = lifecycle;
        _table = table;
        _timeProvider = timeProvider;
        _maxQueueLength = options.Value.MaxQueueLength;
        _table.Changed += RetireStale;
    }

    /// <summary>
    /// The pool of a version live or an alias reaches, or with <paramref name="direct"/> of one a call named
    /// (<c>/fn@v3/</c>), created on first use.
    /// </summary>
    public FunctionPool Get(FunctionVersion version, bool direct = false)
    {
        var key = (version.Function, version.Version);
        while (true)
        {
            var reached = _table.Current.Reaches(version.Function, version.Version);
            var pool = _pools.GetOrAdd(key, static (_, state) => state.self.NewPool(state.version, state.direct), (version, self: this, direct: direct && !reached));
            if (pool.IsLive || !(reached || direct))
            {
                return pool;
            }

            // Reached again (a rollback, an alias) or named again after its pool was retired: a fresh pool; the old one
            // drains on its own.
            var fresh = NewPool(version, direct && !reached);
            if (_pools.TryUpdate(key, fresh, pool))
            {
                return fresh;
            }
        }
    }

    /// <summary>A copy of the pools, for a pass over them.</summary>
    public IReadOnlyList<FunctionPool> Snapshot() => _pools.Values.ToList();

    /// <summary>
    /// Retires the pools of versions that neither live nor an alias reaches in <paramref name="table"/>; a pool made for
    /// direct calls stays while its function does, and goes once idle (<see cref="RetireIdleDirect"/>).
    /// </summary>
    public void RetireStale(FunctionTable table)
    {
        foreach (var ((function, version), pool) in _pools)
        {
            if (!table.Reaches(function, version) && !(pool.Direct && table.Live.ContainsKey(function)))
            {
                pool.Retire();
            }
        }
    }

    /// <summary>Retires the pools made for direct calls that have no container left and that no alias reaches now.</summary>
    public void RetireIdleDirect(FunctionTable table)
    {
        foreach (var ((function, version), pool) in _pools)
        {
            if (pool.Direct && pool.IsLive && pool.IsEmpty && !table.Reaches(function, version))
            {
                pool.Retire();
            }
        }
    }

    /// <summary>Retires every pool: the gateway is stopping.</summary>
    public void RetireAll()
    {
        foreach (var pool in _pools.Values)
        {
            pool.Retire();
        }
    }

    /// <summary>Forgets <paramref name="pool"/> if it is retired and has nothing left.</summary>
    public bool TryForget(FunctionPool pool) =>
        !pool.IsLive && pool.IsEmpty && _pools.TryRemove(KeyValuePair.Create((pool.Version.Function, pool.Version.Version), pool));

    /// <summary>Containers per state, for health and metrics.</summary>
    public IReadOnlyDictionary<FunctionContainerState, int> CountByState() =>
        _pools.Values.SelectMany(p => p.Snapshot()).GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The pool of <paramref name="function"/>'s live version if this gateway has one, without making it.</summary>
    public FunctionPool? FindLive(string function) =>
        _table.Current.Live.TryGetValue(function, out var live) && _pools.TryGetValue((function, live.Version), out var pool) && pool.IsLive ? pool : null;

    /// <summary>Evicts the least recently used idle container of the gateway, of whichever function; false when none is idle.</summary>
    public FunctionPool? EvictLeastRecentlyUsed()
    {
        while (true)
        {
            var oldest = _pools.Values.Select(p => (Pool: p, LastUsed: p.OldestIdle)).Where(p => p.LastUsed is not null).MinBy(p => p.LastUsed);
            if (oldest.Pool is null)
            {
                return null;
            }

            // Another call may have taken it meanwhile: look again.
            if (oldest.Pool.EvictOldestIdle())
            {
                return oldest.Pool;
            }
        }
    }

    /// <summary>The gateway's capacity and what is taken of it.</summary>
    public ContainerBudget Budget => _budget;

    private FunctionPool NewPool(FunctionVersion version, bool direct) => new(version, _lifecycle, _timeProvider, _maxQueueLength, _budget, direct);

    public void Dispose() => _table.Changed -= RetireStale;
}
