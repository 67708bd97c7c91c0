using System.Globalization;
using System.Text.RegularExpressions;

namespace Epsilon.Bench;

/// <summary>wrk's throughput and latency percentiles.</summary>
internal static partial class Wrk
{
    /// <summary>
    /// Runs wrk, with a Lua <paramref name="script"/> when given (to spread calls over paths). Every call carries an X-Epsilon-Request-Id, as the gateway's forwarded calls do, so that the wrapper does
    /// the same work on both sides of a comparison.
    /// </summary>
    public static (double Rps, double P50, double P99, long Requests) Run(string url, int connections, string duration, string directory, string? script = null)
    {
        var output = Processes.Run("wrk", directory, [$"-t{Math.Min(2, connections)}", $"-c{connections}", $"-d{duration}", "--latency",
            "-H", "X-Epsilon-Request-Id: 0123456789abcdef0123456789abcdef", .. script is null ? [] : new[] { "-s", script }, url]);
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return (rps, Latency(output, "50%"), Latency(output, "99%"), requests);
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"{Regex.Escape(percentile)}\s+([0-9.]+)(us|ms|s)\b");
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return Math.Round(match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value }, 3);
    }

    [GeneratedRegex(@"([0-9]+) requests in ")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}
