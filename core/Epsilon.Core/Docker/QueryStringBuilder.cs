using System.Globalization;
using System.Text;

namespace Epsilon.Core.Docker;

/// <summary>Builds an escaped query string; null values are left out.</summary>
internal sealed class QueryStringBuilder
{
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    private readonly StringBuilder _builder = new();

    public QueryStringBuilder Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        if (_builder.Length > 0)
        {
            _builder.Append('&');
        }

        _builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    // The daemon reads "", "0", "no", "false" and "none" as false, anything else as true.
    public QueryStringBuilder Add(string name, bool value) => Add(name, value ? "true" : "false");

    public QueryStringBuilder Add(string name, long? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds an instant as the daemon's <c>seconds.nanoseconds</c> since the Unix epoch.</summary>
    public QueryStringBuilder Add(string name, DateTimeOffset? value)
    {
        if (value is null)
        {
            return this;
        }

        var ticks = value.Value.UtcTicks - UnixEpochTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        return Add(name, string.Create(CultureInfo.InvariantCulture, $"{seconds}.{remainder * 100:D9}"));
    }

    public override string ToString() => _builder.ToString();
}
