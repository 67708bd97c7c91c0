namespace Epsilon.Gateway.Fleet;

/// <summary>Who serves a call: this gateway, or the peer it is forwarded to.</summary>
/// <param name="Peer">The gateway to forward to; null to serve here.</param>
/// <param name="Spilled">Whether the call goes past the function's home because the gateways before were saturated.</param>
internal readonly record struct RouteDecision(FleetPeer? Peer, bool Spilled)
{
    public static RouteDecision Local { get; } = new(null, false);

    public bool IsLocal => Peer is null;
}
