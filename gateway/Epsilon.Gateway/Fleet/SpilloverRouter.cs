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

        Span<ulong> scores = peers.Count <= 128 ? stackalloc ulong[peers.Count] : new ulong[peers.Count];
        var ranked = new FleetPeer[peers.Count];
        RendezvousRanking.Rank(function, peers, ranked, scores);
        for (var i = 0; i < ranked.Length; i++)
        {
            if (!saturation.IsSaturated(ranked[i].Id, function))
            {
                return ranked[i].Id == selfId ? RouteDecision.Local with { Spilled = i > 0 } : new RouteDecision(ranked[i], i > 0);
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
