namespace Epsilon.Core.Fleet;

/// <summary>How the gateways of a fleet keep track of each other (section <c>Epsilon:Fleet</c>), shared by builder and gateways.</summary>
public sealed class FleetOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Epsilon:Fleet";

    /// <summary>How often a gateway writes its heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A gateway whose last heartbeat is older than this is out of the fleet: no call is routed to it, no deploy waits for it.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a deploy waits for every live gateway to serve it before answering with the laggards named.</summary>
    public TimeSpan RolloutTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether <paramref name="member"/>'s heartbeat is recent enough at <paramref name="now"/>.</summary>
    public bool IsLive(Model.GatewayMember member, DateTimeOffset now) => now - member.HeartbeatAt <= HeartbeatTimeout;
}
