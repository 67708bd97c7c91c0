using System.Collections.Concurrent;
using Epsilon.Core.Model;
using Epsilon.Gateway.Containers;
using Epsilon.Gateway.Functions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// Every <see cref="FunctionPool"/> of this gateway. Starts and removes containers for them in the background, watches
/// containers for exits, retires versions that are no longer live, reaps idle containers on a timer, and on stop
/// removes what it started.
/// </summary>
internal sealed partial class ContainerPool : BackgroundService, IContainerLifecycle
{
    private readonly ConcurrentDictionary<(string Function, int Version), FunctionPool> _pools = new();
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly ContainerRuntime _runtime;
    private readonly FunctionTableProvider _table;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ContainerPool> _logger;
    private readonly CancellationTokenSource _stopping = new();

    public ContainerPool(ContainerRuntime runtime, FunctionTableProvider table, IOptions<GatewayOptions> options, TimeProvider timeProvider,
        ILogger<ContainerPool> logger)
    {
        _runtime = runtime;
        _table = table;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _table.Changed += OnTableChanged;
    }

    /// <summary>The pool of a live version, created on first use.</summary>
    public FunctionPool GetPool(FunctionVersion version)
    {
        var key = (version.Function, version.Version);
        var pool = _pools.GetOrAdd(key, static (_, state) => state.self.NewPool(state.version), (version, self: this));
        if (pool.IsLive || !_table.Current.Live.TryGetValue(version.Function, out var live) || live.Version != version.Version)
        {
            return pool;
        }

        // Live again (a rollback) after its pool was retired: a fresh pool; the old one drains on its own.
        var fresh = NewPool(version);
        return _pools.TryUpdate(key, fresh, pool) ? fresh : _pools[key];
    }

    private FunctionPool NewPool(FunctionVersion version) => new(version, this, _timeProvider, _options.MaxQueueLength);

    /// <summary>Containers per state, for health and metrics.</summary>
    public IReadOnlyDictionary<FunctionContainerState, int> CountByState() =>
        _pools.Values.SelectMany(p => p.Snapshot()).GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Count());

    void IContainerLifecycle.Start(FunctionPool pool, FunctionContainer container) => Track(StartAsync(pool, container));

    void IContainerLifecycle.Remove(FunctionContainer container) => Track(RemoveAsync(container));

    async Task IContainerLifecycle.PauseAsync(FunctionContainer container, Task previous)
    {
        await previous.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .ConfigureAwait(false);
        try
        {
            await _runtime.PauseAsync(container.Id!, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A container that cannot be frozen stays running; the next call's resume finds it unpaused and goes on.
            Log.PauseFailed(_logger, container.Id![..12], ex.Message);
        }
    }

    async Task IContainerLifecycle.ResumeAsync(FunctionContainer container, Task previous)
    {
        await previous.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .ConfigureAwait(false);
        await _runtime.UnpauseAsync(container.Id!, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task StartAsync(FunctionPool pool, FunctionContainer container)
    {
        var version = container.Version;
        try
        {
            var exited = await _runtime.StartAsync(container, _stopping.Token).ConfigureAwait(false);
            pool.OnReady(container);
            _ = WatchAsync(pool, container, exited);
        }
        catch (Exception ex)
        {
            Log.ColdStartFailed(_logger, version.Function, version.Version, ex.Message);
            container.MarkFailed(ex as ColdStartException ?? new ColdStartException($"function '{version.Function}' could not be started: {ex.Message}", ex));
            pool.OnExited(container);
        }
    }

    private async Task WatchAsync(FunctionPool pool, FunctionContainer container, Task<long> exited)
    {
        var code = await exited.ConfigureAwait(false);
        if (_stopping.IsCancellationRequested)
        {
            // Stopping: the containers stay or go as RemoveContainersOnStop says, not because their watch ended.
            return;
        }

        if (!container.Removed)
        {
            Log.Exited(_logger, container.Id![..12], container.Version.Function, code);
        }

        pool.OnExited(container);
    }

    private async Task RemoveAsync(FunctionContainer container)
    {
        // A container retired while starting (or pausing) is removed once that has ended, whichever way.
        await Task.WhenAll(container.Ready, container.Transition).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .ConfigureAwait(false);
        if (container.Id is { } id)
        {
            try
            {
                await _runtime.RemoveAsync(id, CancellationToken.None).ConfigureAwait(false);
                Log.Removed(_logger, id[..12], container.Version.Function, container.Version.Version);
            }
            catch (Exception ex)
            {
                Log.RemoveFailed(_logger, id[..12], ex);
            }
        }
    }

    private void OnTableChanged(FunctionTable table)
    {
        foreach (var ((function, version), pool) in _pools)
        {
            if (!table.Live.TryGetValue(function, out var live) || live.Version != version)
            {
                pool.Retire();
            }
        }
    }

    private void Track(Task task)
    {
        _background.TryAdd(task, 0);
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _background,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _runtime.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReapInterval, _timeProvider);
        do
        {
            try
            {
                Reap();
            }
            catch (Exception ex)
            {
                Log.ReapFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: retire stale versions, reap idle containers, keep minWarm, forget empty pools.</summary>
    internal void Reap()
    {
        var live = _table.Current.Live;
        OnTableChanged(_table.Current);
        foreach (var version in live.Values.Where(v => v.Config.MinWarm > 0))
        {
            GetPool(version).EnsureMinWarm();
        }

        foreach (var (key, pool) in _pools)
        {
            if (_options.PauseIdleAfter > TimeSpan.Zero)
            {
                pool.PauseIdle(_options.PauseIdleAfter);
            }

            var reaped = pool.ReapIdle();
            if (reaped > 0)
            {
                Log.Reaped(_logger, reaped, key.Function, key.Version);
            }

            if (!pool.IsLive && pool.IsEmpty)
            {
                _pools.TryRemove(KeyValuePair.Create(key, pool));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_options.RemoveContainersOnStop)
        {
            foreach (var pool in _pools.Values)
            {
                pool.Retire();
            }

            var ids = await _runtime.ListOwnContainersAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(ids.Select(id => _runtime.RemoveAsync(id, cancellationToken))).ConfigureAwait(false);
        }

        await Task.WhenAll(_background.Keys.Where(t => !t.IsCompleted).Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default)))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_options.RemoveContainersOnStop)
        {
            // A cold start cut short by the stop may have created a container after the first sweep.
            var late = await _runtime.ListOwnContainersAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(late.Select(id => _runtime.RemoveAsync(id, cancellationToken))).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _table.Changed -= OnTableChanged;
        _stopping.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Cold start of function '{Function}' v{Version} failed: {Reason}")]
        public static partial void ColdStartFailed(ILogger logger, string function, int version, string reason);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Container '{ContainerId}' of function '{Function}' exited with code {ExitCode}.")]
        public static partial void Exited(ILogger logger, string containerId, string function, long exitCode);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Removed container '{ContainerId}' of function '{Function}' v{Version}.")]
        public static partial void Removed(ILogger logger, string containerId, string function, int version);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Could not remove container '{ContainerId}'.")]
        public static partial void RemoveFailed(ILogger logger, string containerId, Exception exception);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Reaped {Count} idle container(s) of function '{Function}' v{Version}.")]
        public static partial void Reaped(ILogger logger, int count, string function, int version);

        [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Reaping idle containers failed.")]
        public static partial void ReapFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Could not pause container '{ContainerId}': {Reason}")]
        public static partial void PauseFailed(ILogger logger, string containerId, string reason);
    }
}
