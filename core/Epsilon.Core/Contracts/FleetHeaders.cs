namespace Epsilon.Core.Contracts;

/// <summary>
/// The headers gateways and the balancer put on calls between them (infra/haproxy/render.sh sets and strips them); a
/// caller's own are removed at the balancer.
/// </summary>
public static class FleetHeaders
{
    /// <summary>On a call one gateway forwards to another: the sender's id. A call that has it is never forwarded again.</summary>
    public const string ForwardedBy = "X-Epsilon-Forwarded-By";

    /// <summary>On a call the balancer hashed to this gateway by its function: serve it here as home unless saturated.</summary>
    public const string Home = "X-Epsilon-Home";

    /// <summary>On the answer to a forwarded call: the gateway that served it is saturated for the function now.</summary>
    public const string Saturated = "X-Epsilon-Saturated";
}
