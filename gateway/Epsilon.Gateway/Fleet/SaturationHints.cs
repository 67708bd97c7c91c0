using System.Collections.Concurrent;

namespace Epsilon.Gateway.Fleet;

/// <summary>
/// What peers said of themselves: a peer that answers a forwarded call with the saturated mark is passed over for that
/// function for <see cref="FleetMemberOptions.SaturationHintTtl"/>, then tried again, so a home set grows with load and
/// shrinks back when it falls; a peer that refused a connection is passed over for every function until the fleet's
/// heartbeat timeout has had time to take it out of the view. This gateway's own saturation comes from its pools.
/// </summary>
internal sealed class SaturationHints(TimeProvider timeProvider, TimeSpan ttl)
{
    private readonly ConcurrentDictionary<(string Gateway, string Function), long> _saturatedUntil = new();
    private readonly ConcurrentDictionary<string, long> _unreachableUntil = new();

    /// <summary>Records that <paramref name="gatewayId"/> is saturated for <paramref name="function"/> as of now.</summary>
    public void Saturated(string gatewayId, string function) => _saturatedUntil[(gatewayId, function)] = Deadline(ttl);

    /// <summary>Records that <paramref name="gatewayId"/> refused a connection: it is passed over for every function for <paramref name="forHowLong"/>.</summary>
    public void Unreachable(string gatewayId, TimeSpan forHowLong) => _unreachableUntil[gatewayId] = Deadline(forHowLong);

    /// <summary>Whether <paramref name="gatewayId"/> refused a connection recently.</summary>
    public bool IsUnreachable(string gatewayId) => IsMarked(_unreachableUntil, gatewayId);

    /// <summary>Whether <paramref name="gatewayId"/> should be passed over for <paramref name="function"/>: unreachable, or recently saturated for it.</summary>
    public bool IsSaturated(string gatewayId, string function) => IsUnreachable(gatewayId) || IsMarked(_saturatedUntil, (gatewayId, function));

    private long Deadline(TimeSpan from) => timeProvider.GetTimestamp() + (long)(from.TotalSeconds * timeProvider.TimestampFrequency);

    private bool IsMarked<TKey>(ConcurrentDictionary<TKey, long> marks, TKey key)
        where TKey : notnull
    {
        if (!marks.TryGetValue(key, out var until))
        {
            return false;
        }

        if (timeProvider.GetTimestamp() < until)
        {
            return true;
        }

        // Expired: removed only if no newer mark replaced it meanwhile.
        marks.TryRemove(KeyValuePair.Create(key, until));
        return false;
    }
}
