namespace Epsilon.Core.Model;

/// <summary>One gateway of the fleet as the store knows it: where it is reached, what it can hold, when it last spoke.</summary>
public sealed record GatewayMember
{
    /// <summary>The gateway's id (<c>Epsilon:Gateway:Id</c>), unique in the fleet.</summary>
    public required string Id { get; init; }

    /// <summary>The base URL other gateways forward calls to, e.g. <c>http://10.0.1.7:8080</c>.</summary>
    public required string Address { get; init; }

    /// <summary>How many function containers it holds at most.</summary>
    public required int MaxContainers { get; init; }

    /// <summary>How much memory its function containers may take together, in bytes.</summary>
    public required long MaxMemoryBytes { get; init; }

    /// <summary>Active or draining.</summary>
    public required GatewayState State { get; init; }

    /// <summary>When it registered.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Its last heartbeat.</summary>
    public required DateTimeOffset HeartbeatAt { get; init; }

    /// <summary>The store revision its function table reflects (see <see cref="Store.IFleetStore.GetRevisionAsync"/>).</summary>
    public long ServedRevision { get; init; }
}
