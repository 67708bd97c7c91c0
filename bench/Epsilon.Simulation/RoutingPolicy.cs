namespace Epsilon.Simulation;

/// <summary>Who serves a call, once the load balancer has handed it to a gateway.</summary>
internal enum RoutingPolicy
{
    /// <summary>The gateway's own <c>SpilloverRouter</c>: the first unsaturated gateway of the function's ranking.</summary>
    Sticky,

    /// <summary>The gateway the balancer chose, round-robin.</summary>
    RoundRobin,

    /// <summary>The gateway with the fewest busy containers, known fleet-wide at once (ties round-robin).</summary>
    LeastLoaded,
}
