using System.Collections.Concurrent;
using System.Diagnostics;

namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>
/// Calls at a steady pace from several workers until stopped, counting what answered and what failed, and when: the
/// chaos tests compare failures with the calls that were in flight at a kill.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly ConcurrentQueue<string> _failures = new();
    private long _ok;
    private long _inFlight;

    /// <summary>Starts <paramref name="workers"/> loops, each calling the next path of <paramref name="paths"/> every <paramref name="pause"/>.</summary>
    /// <param name="expect">
    /// Asked as each call starts, with its path: which answers are right for it then. A call answered otherwise failed.
    /// By default any success is right.
    /// </param>
    public SteadyLoad(HttpClient http, IReadOnlyList<string> paths, int workers, TimeSpan pause, Func<string, Func<string, bool>>? expect = null)
    {
        _workers = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var i = w;
            while (!_stop.IsCancellationRequested)
            {
                var path = paths[i++ % paths.Count];
                var right = expect?.Invoke(path);
                Interlocked.Increment(ref _inFlight);
                try
                {
                    using var response = await http.GetAsync(path);
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        _failures.Enqueue($"{path}: {(int)response.StatusCode} {body}");
                    }
                    else if (right is not null && !right(body))
                    {
                        _failures.Enqueue($"{path}: answered '{body}'");
                    }
                    else
                    {
                        Interlocked.Increment(ref _ok);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    _failures.Enqueue($"{path}: {ex.GetType().Name} {ex.Message}");
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }

                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause);
                }
            }
        })).ToArray();
    }

    public long Succeeded => Interlocked.Read(ref _ok);

    public IReadOnlyCollection<string> Failures => _failures.ToArray();

    /// <summary>Calls started and not yet answered, now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Waits until <paramref name="count"/> more calls have succeeded.</summary>
    public async Task WaitForAsync(long count, TimeSpan timeout, Func<string>? context = null)
    {
        var target = Succeeded + count;
        var watch = Stopwatch.StartNew();
        while (Succeeded < target)
        {
            Assert.True(watch.Elapsed < timeout, $"only {Succeeded} calls succeeded; failures: {string.Join("; ", Failures.Take(5))}\n{context?.Invoke()}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }
}
