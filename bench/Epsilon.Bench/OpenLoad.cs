using System.Diagnostics;

namespace Epsilon.Bench;

/// <summary>
/// Calls at a fixed rate whatever the answers' pace (an open loop, as independent callers do), spread evenly over a list
/// of URLs; each call's latency counts from when it was due, so a stall shows in the percentiles rather than slowing the
/// load down (no coordinated omission).
/// </summary>
internal static class OpenLoad
{
    /// <summary>
    /// Calls at <paramref name="callsPerSecond"/> for <paramref name="duration"/>, after a linear ramp from zero over
    /// <paramref name="ramp"/> (as traffic reaches a new fleet), never more than <paramref name="maxInFlight"/> at once:
    /// a call due while that many are unanswered is not made and counts as failed, so a stalled server fails the run
    /// rather than drowning the machine in connections.
    /// </summary>
    public static async Task<OpenLoadResult> RunAsync(HttpClient http, IReadOnlyList<string> urls, double callsPerSecond, TimeSpan duration,
        TimeSpan ramp, int maxInFlight = 2000)
    {
        // Calls due by time t: the ramp's triangle, then the steady rate.
        var rampSeconds = ramp.TotalSeconds;
        double DueBy(double t) => t < rampSeconds ? callsPerSecond * t * t / (2 * rampSeconds) : callsPerSecond * (t - rampSeconds / 2);
        double DueAt(int n) => n < callsPerSecond * rampSeconds / 2 ? Math.Sqrt(2 * rampSeconds * n / callsPerSecond) : n / callsPerSecond + rampSeconds / 2;
        var total = (int)DueBy(rampSeconds + duration.TotalSeconds);
        var inFlight = 0;
        var latencies = new double[total];
        var failed = new bool[total];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var calls = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var next = 0; next < total;)
        {
            var due = Math.Min(total, (int)DueBy(clock.Elapsed.TotalSeconds));
            for (; next < due; next++)
            {
                if (Volatile.Read(ref inFlight) >= maxInFlight)
                {
                    failed[next] = true;
                    failures.Enqueue($"not made: {maxInFlight} calls unanswered");
                    continue;
                }

                Interlocked.Increment(ref inFlight);
                calls.Add(CallAsync(next, DueAt(next)));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(calls);
        var sorted = latencies.Where((_, i) => !failed[i]).Order().ToList();
        return new OpenLoadResult(total, failed.Count(f => f), failures.Take(5).ToList(), sorted);

        async Task CallAsync(int index, double dueSeconds)
        {
            await Task.Yield();
            try
            {
                using var response = await http.GetAsync(urls[index % urls.Count]);
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    failed[index] = true;
                    failures.Enqueue($"{urls[index % urls.Count]}: {(int)response.StatusCode}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failed[index] = true;
                failures.Enqueue($"{urls[index % urls.Count]}: {ex.Message}");
            }

            latencies[index] = (clock.Elapsed.TotalSeconds - dueSeconds) * 1000;
            Interlocked.Decrement(ref inFlight);
        }
    }
}

/// <summary>What an <see cref="OpenLoad"/> run gave: calls made, failed, and the answered calls' latencies in ms, sorted.</summary>
internal sealed record OpenLoadResult(int Calls, int Failed, IReadOnlyList<string> FirstFailures, IReadOnlyList<double> SortedLatenciesMs)
{
    public double Percentile(double p) =>
        SortedLatenciesMs.Count == 0 ? double.NaN : SortedLatenciesMs[Math.Min(SortedLatenciesMs.Count - 1, (int)Math.Ceiling(p * SortedLatenciesMs.Count) - 1)];
}
