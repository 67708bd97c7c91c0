namespace Epsilon.Gateway.Fleet;

/// <summary>What <c>GET /_epsilon/fleet</c> answers: this gateway's place in the fleet.</summary>
/// <param name="Id">This gateway.</param>
/// <param name="Draining">Whether it is draining.</param>
/// <param name="ServedRevision">The store revision its function table serves.</param>
/// <param name="Peers">The live, active gateways it routes over.</param>
internal sealed record FleetStatus(string Id, bool Draining, long ServedRevision, IReadOnlyList<string> Peers);
