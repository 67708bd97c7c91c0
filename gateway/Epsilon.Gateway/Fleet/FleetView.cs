namespace Epsilon.Gateway.Fleet;

/// <summary>An immutable snapshot of the fleet's active gateways, swapped whole on every heartbeat round.</summary>
/// <param name="Peers">The live, active gateways, this one among them unless it drains.</param>
internal sealed record FleetView(IReadOnlyList<FleetPeer> Peers)
{
    public static FleetView Empty { get; } = new([]);
}
