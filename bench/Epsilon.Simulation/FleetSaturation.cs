using Epsilon.Gateway.Fleet;

namespace Epsilon.Simulation;

/// <summary>
/// The gateway's saturation signals read from the simulated fleet's true state at the moment of the call: no hint lag,
/// every gateway knows at once what every other holds and runs.
/// </summary>
internal sealed class FleetSaturation(SimulatedFleet fleet, IReadOnlyList<FleetPeer> peers, IReadOnlyList<string> functions) : ISaturationSignals
{
    private readonly Dictionary<string, int> _gateways = Index(peers.Select(p => p.Id));
    private readonly Dictionary<string, int> _functions = Index(functions);

    /// <summary>The simulated time of the call being routed.</summary>
    public double Now { get; set; }

    public bool IsSaturated(string gatewayId, string function) =>
        fleet.IsSaturated(_gateways[gatewayId], _functions[function], Now);

    private static Dictionary<string, int> Index(IEnumerable<string> names) =>
        names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
}
