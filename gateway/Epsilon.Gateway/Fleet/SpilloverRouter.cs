namespace Epsilon.Gateway.Fleet;

/// <summary>
/// Sticky routing with spillover: a call is served by the first gateway of its function's ranking that is not saturated
/// for it, so a function stays warm on its home gateway and spreads to the next ones only while its load needs them; as
/// load falls, the saturation goes and calls return home. Pure: the gateway and the fleet simulation both decide with it.
/// </summary>
internal static class SpilloverRouter
{
    /// <summary>Decides who serves a call of <paramref name="function"/> that reached gateway <paramref name="selfId"/>.</summary>
    /// <param name="function">The function called.</param>
    /// <param name="selfId">This gateway.</param>
    /// <param name="peers">The active gateways, this one among them unless it is draining.</param>
    /// <param name="saturation">Who is saturated for what.</param>
    /// <param name="forwarded">The call was forwarded here already: it is never forwarded twice.</param>
    /// <param name="balancerHome">The balancer hashed the function here and says so: serve as home unless saturated.</param>
    public static RouteDecision Route(string function, string selfId, IReadOnlyList<FleetPeer> peers, ISaturationSignals saturation,
        bool forwarded = false, bool balancerHome = false)
    {
        if (forwarded || peers.Count == 0 || (peers.Count == 1 && peers[0].Id == selfId))
        {
            return RouteDecision.Local;
        }

        if (balancerHome && !saturation.IsSaturated(selfId, function) && Contains(peers, selfId))
        {
            return RouteDecision.Local;
        }

        // The ranking is walked best first without sorting it: the first unsaturated gateway is nearly always among the
        // first few, and picking each costs one pass over the scores.
        var count = peers.Count;
        Span<ulong> scores = count <= 128 ? stackalloc ulong[count] : new ulong[count];
        Span<bool> tried = count <= 128 ? stackalloc bool[count] : new bool[count];
        RendezvousRanking.Score(function, peers, scores);
        for (var rank = 0; rank < count; rank++)
        {
            var best = -1;
            for (var i = 0; i < count; i++)
            {
                if (!tried[i] && (best < 0 || RendezvousRanking.Precedes(scores, peers, i, best)))
                {
                    best = i;
                }
            }

            tried[best] = true;
            var peer = peers[best];
            if (!saturation.IsSaturated(peer.Id, function))
            {
                return peer.Id == selfId ? RouteDecision.Local with { Spilled = rank > 0 } : new RouteDecision(peer, rank > 0);
            }
        }

        // Everyone is saturated: wait in this gateway's own queue rather than add a hop to wait in another's.
        return RouteDecision.Local;
    }

    private static bool Contains(IReadOnlyList<FleetPeer> peers, string id)
    {
        for (var i = 0; i < peers.Count; i++)
        {
            if (peers[i].Id == id)
            {
                return true;
            }
        }

        return false;
    }
}
