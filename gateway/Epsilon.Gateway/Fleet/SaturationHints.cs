using System.Collections.Concurrent;

namespace Epsilon.Gateway.Fleet;

/// <summary>
/// What peers said of themselves: a peer that answers a forwarded call with the saturated mark is passed over for that
/// function for <see cref="FleetMemberOptions.SaturationHintTtl"/>, then tried again, so a home set grows with load and
/// shrinks back when it falls. This gateway's own saturation comes from its pools, not from here.
/// </summary>
internal sealed class SaturationHints(TimeProvider timeProvider, TimeSpan ttl)
{
    private readonly ConcurrentDictionary<(string Gateway, string Function), long> _until = new();

    /// <summary>Records that <paramref name="gatewayId"/> is saturated for <paramref name="function"/> as of now.</summary>
    public void Saturated(string gatewayId, string function) =>
        _until[(gatewayId, function)] = timeProvider.GetTimestamp() + (long)(ttl.TotalSeconds * timeProvider.TimestampFrequency);

    /// <summary>Records that <paramref name="gatewayId"/> refused a connection: it is passed over for every function until its heartbeat tells.</summary>
    public void Unreachable(string gatewayId, TimeSpan forHowLong) =>
        _until[(gatewayId, "")] = timeProvider.GetTimestamp() + (long)(forHowLong.TotalSeconds * timeProvider.TimestampFrequency);

    /// <summary>Whether a recent word of <paramref name="gatewayId"/> says it is saturated for <paramref name="function"/>.</summary>
    public bool IsSaturated(string gatewayId, string function) => IsMarked(gatewayId, "") || IsMarked(gatewayId, function);

    private bool IsMarked(string gatewayId, string function)
    {
        if (!_until.TryGetValue((gatewayId, function), out var until))
        {
            return false;
        }

        if (timeProvider.GetTimestamp() < until)
        {
            return true;
        }

        _until.TryRemove(KeyValuePair.Create((gatewayId, function), until));
        return false;
    }
}
