using System.Collections.Concurrent;
using System.Collections.Frozen;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Epsilon.Gateway.Fleet;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Functions;

/// <summary>
/// Keeps the <see cref="FunctionTable"/> current: reloads it from the store on a timer, and at once when a call names a
/// function the table does not know (so a function is callable as soon as its deploy answers), or a key it does not know
/// when it is older than a second (so unknown keys cannot make every call a store read).
/// </summary>
internal sealed partial class FunctionTableProvider(
    IFunctionStore store,
    IFleetStore fleet,
    IFunctionKeyStore keys,
    IFunctionConfigStore secrets,
    IAliasStore aliases,
    FleetMembership membership,
    IOptions<GatewayOptions> options,
    TimeProvider timeProvider,
    ILogger<FunctionTableProvider> logger) : BackgroundService
{
    private static readonly TimeSpan s_keyMissReload = TimeSpan.FromSeconds(1);

    /// <summary>Unknown versions remembered at once, beyond which the memory of them starts over.</summary>
    private const int MaxVersionMisses = 10_000;

    private readonly SemaphoreSlim _refreshing = new(1, 1);

    // Versions read for an alias or a direct call. A version's content never changes (a change of configuration makes a
    // new one), so an entry stays until its function's live version moves, which a delete, and a name claimed again, do.
    private readonly ConcurrentDictionary<(string Function, int Version), FunctionVersion> _versions = new();
    private readonly ConcurrentDictionary<(string Function, int Version), long> _versionMisses = new();
    private volatile FunctionTable _current = FunctionTable.Empty;

    /// <summary>The current snapshot.</summary>
    public FunctionTable Current => _current;

    /// <summary>Raised after a reload changed the table.</summary>
    public event Action<FunctionTable>? Changed;

    /// <summary>The live version of <paramref name="function"/>, reloading once if the table may be stale.</summary>
    public async ValueTask<FunctionVersion?> FindAsync(string function, CancellationToken cancellationToken)
    {
        var table = _current;
        if (table.Live.TryGetValue(function, out var version))
        {
            return version;
        }

        // The function may have gone live since the last load. Concurrent misses share one reload.
        await RefreshAsync(table, cancellationToken).ConfigureAwait(false);
        return _current.Live.GetValueOrDefault(function);
    }

    /// <summary>
    /// Version <paramref name="version"/> of <paramref name="function"/>, which must be in the table: a ready version, by a
    /// call that names it (<c>/fn@v3/</c>). Read from the store once, then kept; a version the store does not have is
    /// asked for again only after a second, so calls to unknown versions cost at most one store read a second each.
    /// </summary>
    public async ValueTask<FunctionVersion?> FindVersionAsync(string function, int version, CancellationToken cancellationToken)
    {
        if (!_current.Live.TryGetValue(function, out var live))
        {
            return null;
        }

        var key = (function, version);
        if (live.Version == version)
        {
            return live;
        }

        if (_versions.TryGetValue(key, out var known))
        {
            return known;
        }

        if (_versionMisses.TryGetValue(key, out var missedAt) && timeProvider.GetElapsedTime(missedAt) < s_keyMissReload)
        {
            return null;
        }

        var loaded = await Task.Run(() => aliases.GetVersionAsync(function, version, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            if (_versionMisses.Count >= MaxVersionMisses)
            {
                _versionMisses.Clear();
            }

            _versionMisses[key] = timeProvider.GetTimestamp();
            return null;
        }

        _versionMisses.TryRemove(key, out _);
        return _versions.GetOrAdd(key, loaded);
    }

    /// <summary>
    /// Whether <paramref name="keyHash"/> opens <paramref name="function"/>. Keys load with the table (every RefreshInterval,
    /// at once where the store signals); an unknown key reloads it only when it is older than a second, for gateways set to
    /// refresh rarely, so guessing keys costs at most one store read a second.
    /// </summary>
    public async ValueTask<bool> HasKeyAsync(string function, string keyHash, CancellationToken cancellationToken)
    {
        var table = _current;
        if (table.HasKey(function, keyHash))
        {
            return true;
        }

        if (timeProvider.GetElapsedTime(table.LoadedAt) < s_keyMissReload)
        {
            return false;
        }

        await RefreshAsync(table, cancellationToken).ConfigureAwait(false);
        return _current.HasKey(function, keyHash);
    }

    /// <summary>Loads the table now unless someone else loaded it since <paramref name="seen"/>.</summary>
    public async Task RefreshAsync(FunctionTable? seen, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (seen is not null && !ReferenceEquals(seen, _current))
            {
                return;
            }

            // On the thread pool: the store may block (SQLite does its I/O synchronously, and waits on a writer's lock),
            // and a call's miss reaches here on a socket thread when the gateway schedules inline.
            // The revision read first: the versions listed after it reflect at least that revision, which is what is acknowledged.
            var previous = _current;
            var (revision, live, keyHashes, stored, routes) = await Task.Run(async () =>
            {
                var revision = await fleet.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
                var live = (await store.ListLiveVersionsAsync(cancellationToken).ConfigureAwait(false))
                    .ToFrozenDictionary(v => v.Function, StringComparer.Ordinal);
                var keyHashes = await keys.ListValidKeyHashesAsync(cancellationToken).ConfigureAwait(false);
                // Secrets after versions: a version listed has its secrets in the same load (a change writes both at once).
                var stored = await secrets.ListStoredSecretsAsync(cancellationToken).ConfigureAwait(false);
                ForgetVersionsOfMoved(previous.Live, live);
                var routes = await LoadAliasesAsync(live, cancellationToken).ConfigureAwait(false);
                return (revision, live, keyHashes, stored, routes);
            }, cancellationToken).ConfigureAwait(false);
            var next = new FunctionTable(live, timeProvider.GetTimestamp(),
                keyHashes.GroupBy(k => k.Function, StringComparer.Ordinal)
                    .ToFrozenDictionary(g => g.Key, g => g.Select(k => k.Hash).ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal),
                stored.GroupBy(s => s.Function, StringComparer.Ordinal)
                    .ToFrozenDictionary(g => g.Key, g => g.ToFrozenDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal), StringComparer.Ordinal),
                routes);
            _current = next;
            if (!previous.RoutesLike(next))
            {
                Log.Changed(logger, next.Live.Count);
                Changed?.Invoke(next);
            }

            await membership.AcknowledgeAsync(revision, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Forgets the versions kept of functions whose live version moved or that left the table.</summary>
    private void ForgetVersionsOfMoved(FrozenDictionary<string, FunctionVersion> previous, FrozenDictionary<string, FunctionVersion> next)
    {
        foreach (var key in _versions.Keys)
        {
            if (!next.TryGetValue(key.Function, out var now) || !previous.TryGetValue(key.Function, out var before) || now.Version != before.Version)
            {
                _versions.TryRemove(key, out _);
            }
        }
    }

    /// <summary>
    /// Every live function's aliases with their versions, read once each. A split live whose weights leave out the live
    /// version was overtaken by a builder of the previous release moving live_version alone: the live version wins.
    /// </summary>
    private async Task<FrozenDictionary<string, FrozenDictionary<string, AliasRoute>>> LoadAliasesAsync(
        FrozenDictionary<string, FunctionVersion> live, CancellationToken cancellationToken)
    {
        var routes = new Dictionary<string, Dictionary<string, AliasRoute>>(StringComparer.Ordinal);
        foreach (var alias in await aliases.ListAliasesAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (!live.TryGetValue(alias.Function, out var liveVersion)
                || (alias.Name == AliasName.Live && !alias.Weights.ContainsKey(liveVersion.Version)))
            {
                continue;
            }

            var versions = new List<FunctionVersion>(alias.Weights.Count);
            foreach (var number in alias.Weights.Keys.Order())
            {
                var key = (alias.Function, number);
                var version = number == liveVersion.Version ? liveVersion
                    : _versions.TryGetValue(key, out var known) ? known
                    : await aliases.GetVersionAsync(alias.Function, number, cancellationToken).ConfigureAwait(false);
                if (version is null)
                {
                    break;
                }

                versions.Add(_versions.GetOrAdd(key, version));
            }

            // A target gone meanwhile (its function deleted between the two reads): the next load sees the alias gone too.
            if (versions.Count == alias.Weights.Count)
            {
                var byFunction = routes.TryGetValue(alias.Function, out var existing) ? existing : routes[alias.Function] = new(StringComparer.Ordinal);
                byFunction[alias.Name] = new AliasRoute(versions, versions.Select(v => alias.Weights[v.Version]).ToList());
            }
        }

        return routes.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await RefreshAsync(null, cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Woken at once by a deploy where the store signals (PostgreSQL), every RefreshInterval regardless.
            var signal = fleet.WaitForSignalAsync(StoreSignal.RevisionChanged, options.Value.RefreshInterval, stoppingToken);
            try
            {
                await signal.ConfigureAwait(false);
                await RefreshAsync(null, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.RefreshFailed(logger, ex);
            }
        }
    }

    public override void Dispose()
    {
        _refreshing.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Function table changed: {Count} live function(s).")]
        public static partial void Changed(ILogger logger, int count);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Reloading the function table failed; keeping the last one.")]
        public static partial void RefreshFailed(ILogger logger, Exception exception);
    }
}
