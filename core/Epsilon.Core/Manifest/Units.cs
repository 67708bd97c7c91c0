using System.Globalization;
using System.Text.RegularExpressions;

namespace Epsilon.Core.Manifest;

/// <summary>Durations and sizes as humans write them in manifests: <c>30s</c>, <c>500ms</c>, <c>256Mi</c>.</summary>
public static partial class Units
{
    /// <summary>Parses <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c> (a bare number means seconds).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var milliseconds = number * match.Groups[2].Value switch
        {
            "ms" => 1,
            "" or "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => 0,
        };
        // Past TimeSpan's range is no duration, not an OverflowException out of a manifest's read.
        if (!(milliseconds < TimeSpan.MaxValue.TotalMilliseconds))
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(milliseconds);
        return value > TimeSpan.Zero;
    }

    /// <summary>Parses <c>128Mi</c>, <c>1Gi</c>, <c>512M</c>, <c>1G</c>, <c>65536Ki</c> or a bare byte count.</summary>
    public static bool TryParseMemory(string text, out long bytes)
    {
        bytes = 0;
        var match = MemoryPattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        double factor = match.Groups[2].Value switch
        {
            "" => 1,
            "K" or "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "Ki" => 1024,
            "Mi" => 1024 * 1024,
            "Gi" => 1024 * 1024 * 1024,
            _ => 0,
        };
        bytes = (long)(number * factor);
        return bytes > 0;
    }

    /// <summary>A memory size as people write a limit: <c>128 MiB</c>, or bytes when not whole mebibytes.</summary>
    public static string FormatMemory(long bytes) => bytes % (1L << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|K|k|M|G)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryPattern();
}
