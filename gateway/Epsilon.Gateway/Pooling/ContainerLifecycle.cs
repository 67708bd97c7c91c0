using System.Collections.Concurrent;
using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// Starts, pauses, resumes and removes the pools' containers through the <see cref="ContainerRuntime"/>, watches the
/// started ones for their exit, and keeps track of the starts and removals under way so a stopping gateway can wait
/// for them.
/// </summary>
internal sealed partial class ContainerLifecycle(ContainerRuntime runtime, TimeProvider timeProvider, ILogger<ContainerLifecycle> logger)
    : IContainerLifecycle, IDisposable
{
    /// <summary>
    /// The waits between attempts at a removal that failed: about two and a half minutes in all, long enough for a
    /// restarted dockerd to answer again (its containers are then stopped, not gone, and would be orphans), bounded so a
    /// daemon that never comes back does not keep a task per container for ever (the next start's sweep removes those).
    /// </summary>
    internal static readonly TimeSpan[] RemoveRetryDelays =
        [.. new[] { 1, 2, 4, 8, 15, 30, 30, 30, 30 }.Select(s => TimeSpan.FromSeconds(s))];

    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly CancellationTokenSource _stopping = new();

    public Task<StartResult> StartAsync(FunctionContainer container)
    {
        var start = StartContainerAsync(container);
        Track(start);
        return start;
    }

    public async Task PauseAsync(FunctionContainer container, Task previous)
    {
        await AfterAsync(previous).ConfigureAwait(false);
        try
        {
            await runtime.PauseAsync(container.Id!, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A container that cannot be frozen stays running; the next call's resume finds it unpaused and goes on.
            Log.PauseFailed(logger, container.Id![..12], ex.Message);
        }
    }

    public async Task ResumeAsync(FunctionContainer container, Task previous)
    {
        await AfterAsync(previous).ConfigureAwait(false);
        await runtime.UnpauseAsync(container.Id!, CancellationToken.None).ConfigureAwait(false);
    }

    public void Remove(FunctionContainer container) => Track(RemoveAsync(container));

    /// <summary>
    /// The gateway is stopping: ends the starts under way, and ends the watches without taking them for exits, so the
    /// running containers stay or go as <see cref="GatewayOptions.RemoveContainersOnStop"/> says.
    /// </summary>
    public Task StopAsync() => _stopping.CancelAsync();

    /// <summary>Completes when no start or removal is under way, including those begun while waiting.</summary>
    public async Task WaitForBackgroundAsync(CancellationToken cancellationToken)
    {
        while (_background.Keys.Where(t => !t.IsCompleted).ToList() is { Count: > 0 } running)
        {
            await Task.WhenAll(running.Select(AfterAsync)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StartResult> StartContainerAsync(FunctionContainer container)
    {
        var version = container.Version;
        try
        {
            var exited = await runtime.StartAsync(container, _stopping.Token).ConfigureAwait(false);
            return StartResult.Running(WatchAsync(container, exited));
        }
        catch (Exception ex)
        {
            Log.ColdStartFailed(logger, version.Function, version.Version, ex.Message);
            return StartResult.Failed(ex as ColdStartException
                ?? new ColdStartException($"function '{version.Function}' could not be started: {ex.Message}", ex));
        }
    }

    private async Task<ContainerExit> WatchAsync(FunctionContainer container, Task<ContainerExit> exited)
    {
        var exit = await exited.ConfigureAwait(false);
        if (_stopping.IsCancellationRequested)
        {
            // Stopping: the containers stay or go as RemoveContainersOnStop says, not because their watch ended.
            return exit with { GatewayStopping = true };
        }

        if (!container.Removed)
        {
            if (exit.OutOfMemory)
            {
                Log.OutOfMemory(logger, container.Id![..12], container.Version.Function, container.Version.Config.MemoryBytes);
            }
            else
            {
                Log.Exited(logger, container.Id![..12], container.Version.Function, exit.ExitCode);
            }
        }

        return exit;
    }

    private async Task RemoveAsync(FunctionContainer container)
    {
        // A container retired while starting (or pausing) is removed once that has ended, whichever way.
        await AfterAsync(Task.WhenAll(container.Ready, container.Transition)).ConfigureAwait(false);
        if (container.Id is not { } id)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await runtime.RemoveAsync(id, CancellationToken.None).ConfigureAwait(false);
                Log.Removed(logger, id[..12], container.Version.Function, container.Version.Version);
                return;
            }
            catch (Exception ex) when (attempt < RemoveRetryDelays.Length && !_stopping.IsCancellationRequested)
            {
                // Docker unreachable (restarting) or refusing for now: a removal dropped here leaves an orphan.
                Log.RemoveRetried(logger, id[..12], RemoveRetryDelays[attempt].TotalSeconds, ex.Message);
            }
            catch (Exception ex)
            {
                // Given up, or the gateway is stopping: its sweeps at stop and at the next start remove what is left.
                Log.RemoveFailed(logger, id[..12], ex);
                return;
            }

            try
            {
                await Task.Delay(RemoveRetryDelays[attempt], timeProvider, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: one last attempt at once, which the stop waits for.
            }
        }
    }

    private void Track(Task task)
    {
        _background.TryAdd(task, 0);
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _background,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when <paramref name="task"/> has ended, whichever way; its failure is someone else's to report.</summary>
    private static Task AfterAsync(Task task) =>
        task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public void Dispose() => _stopping.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Cold start of function '{Function}' v{Version} failed: {Reason}")]
        public static partial void ColdStartFailed(ILogger logger, string function, int version, string reason);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Container '{ContainerId}' of function '{Function}' exited with code {ExitCode}.")]
        public static partial void Exited(ILogger logger, string containerId, string function, long exitCode);

        [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Container '{ContainerId}' of function '{Function}' was killed for passing its memory limit of {MemoryBytes} bytes.")]
        public static partial void OutOfMemory(ILogger logger, string containerId, string function, long memoryBytes);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Removed container '{ContainerId}' of function '{Function}' v{Version}.")]
        public static partial void Removed(ILogger logger, string containerId, string function, int version);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Could not remove container '{ContainerId}'.")]
        public static partial void RemoveFailed(ILogger logger, string containerId, Exception exception);

        [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Could not remove container '{ContainerId}' ({Reason}); trying again in {DelaySeconds} s.")]
        public static partial void RemoveRetried(ILogger logger, string containerId, double delaySeconds, string reason);

        [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Could not pause container '{ContainerId}': {Reason}")]
        public static partial void PauseFailed(ILogger logger, string containerId, string reason);
    }
}
