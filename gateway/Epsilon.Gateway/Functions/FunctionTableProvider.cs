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
    FleetMembership membership,
    IOptions<GatewayOptions> options,
    TimeProvider timeProvider,
    ILogger<FunctionTableProvider> logger) : BackgroundService
{
    private static readonly TimeSpan s_keyMissReload = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refreshing = new(1, 1);
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
            // Secrets after versions: a version listed has its secrets in the same load (a change writes both at once).
            var (revision, versions, keyHashes, stored) = await Task.Run(async () =>
                (await fleet.GetRevisionAsync(cancellationToken).ConfigureAwait(false),
                    await store.ListLiveVersionsAsync(cancellationToken).ConfigureAwait(false),
                    await keys.ListValidKeyHashesAsync(cancellationToken).ConfigureAwait(false),
                    await secrets.ListStoredSecretsAsync(cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            var previous = _current;
            var next = new FunctionTable(versions.ToFrozenDictionary(v => v.Function, StringComparer.Ordinal), timeProvider.GetTimestamp(),
                keyHashes.GroupBy(k => k.Function, StringComparer.Ordinal)
                    .ToFrozenDictionary(g => g.Key, g => g.Select(k => k.Hash).ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal),
                stored.GroupBy(s => s.Function, StringComparer.Ordinal)
                    .ToFrozenDictionary(g => g.Key, g => g.ToFrozenDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal), StringComparer.Ordinal));
            _current = next;
            if (previous.Live.Count != next.Live.Count || previous.Live.Any(p => !next.Live.TryGetValue(p.Key, out var v) || v.Version != p.Value.Version))
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
