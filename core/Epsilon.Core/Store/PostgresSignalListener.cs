using System.Collections.Concurrent;
using Npgsql;

namespace Epsilon.Core.Store;

/// <summary>
/// One connection LISTENing for the store's signals, shared by every waiter of the process. Started on first use;
/// reconnects after a failure, waking every waiter then, since a signal raised while nobody listened is lost.
/// </summary>
internal sealed class PostgresSignalListener(NpgsqlDataSource dataSource, TimeProvider timeProvider) : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<StoreSignal, TaskCompletionSource> _next = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task? _loop;

    /// <summary>The channel a signal travels on.</summary>
    public static string Channel(StoreSignal signal) => signal switch
    {
        StoreSignal.RevisionChanged => "epsilon_revision_changed",
        StoreSignal.RevisionServed => "epsilon_revision_served",
        _ => throw new ArgumentOutOfRangeException(nameof(signal)),
    };

    /// <summary>A task that completes at the next <paramref name="signal"/> raised from now on.</summary>
    public Task NextAsync(StoreSignal signal)
    {
        EnsureListening();
        return _next.GetOrAdd(signal, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    private void EnsureListening()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_lock)
        {
            _loop ??= Task.Run(ListenAsync);
        }
    }

    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    foreach (var signal in Enum.GetValues<StoreSignal>().Where(s => Channel(s) == e.Channel))
                    {
                        Raise(signal);
                    }
                };
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = string.Join(';', Enum.GetValues<StoreSignal>().Select(s => $"LISTEN {Channel(s)}"));
                    await command.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                }

                RaiseAll();
                while (true)
                {
                    await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                // The database went away: waiters look for themselves now, and the listener comes back when it does.
                RaiseAll();
                try
                {
                    await Task.Delay(ReconnectDelay, timeProvider, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Raise(StoreSignal signal)
    {
        if (_next.TryRemove(signal, out var waiters))
        {
            waiters.TrySetResult();
        }
    }

    private void RaiseAll()
    {
        foreach (var signal in Enum.GetValues<StoreSignal>())
        {
            Raise(signal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
