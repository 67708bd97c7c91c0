using System.Collections.Concurrent;
using Epsilon.Core.Model;
using Epsilon.Gateway.Containers;
using Epsilon.Gateway.Functions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// Every <see cref="FunctionPool"/> of this gateway, one per function version: made on a version's first call,
/// retired when the function table moves the function to another version, forgotten once retired and empty.
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

    /// <summary>The pool of a live version, created on first use.</summary>
    public FunctionPool Get(FunctionVersion version)
    {
        var key = (version.Function, version.Version);
        while (true)
        {
            var pool = _pools.GetOrAdd(key, static (_, state) => state.self.NewPool(state.version), (version, self: this));
            if (pool.IsLive || !_table.Current.Live.TryGetValue(version.Function, out var live) || live.Version != version.Version)
            {
                return pool;
            }

            // Live again (a rollback) after its pool was retired: a fresh pool; the old one drains on its own.
            var fresh = NewPool(version);
            if (_pools.TryUpdate(key, fresh, pool))
            {
                return fresh;
            }
        }
    }

    /// <summary>A copy of the pools, for a pass over them.</summary>
    public IReadOnlyList<FunctionPool> Snapshot() => _pools.Values.ToList();

    /// <summary>Retires the pools of versions that are not live in <paramref name="table"/>.</summary>
    public void RetireStale(FunctionTable table)
    {
        foreach (var ((function, version), pool) in _pools)
        {
            if (!table.Live.TryGetValue(function, out var live) || live.Version != version)
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

    private FunctionPool NewPool(FunctionVersion version) => new(version, _lifecycle, _timeProvider, _maxQueueLength, _budget);

    public void Dispose() => _table.Changed -= RetireStale;
}
