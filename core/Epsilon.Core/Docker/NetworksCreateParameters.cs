namespace Epsilon.Core.Docker;

/// <summary>The body of <c>POST /networks/create</c>.</summary>
public sealed class NetworksCreateParameters
{
    /// <summary>The network's name.</summary>
    public required string Name { get; set; }

    /// <summary>The driver; <c>bridge</c> when null.</summary>
    public string? Driver { get; set; }

    /// <summary>Labels of the network.</summary>
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>Cuts the network off from outside (no route to the host's networks).</summary>
    public bool Internal { get; set; }

    /// <summary>Fails with 409 if a network of that name exists (names are not unique otherwise).</summary>
    public bool CheckDuplicate { get; set; } = true;

    /// <summary>Driver options (for example <c>com.docker.network.bridge.name</c>).</summary>
    public IDictionary<string, string>? Options { get; set; }
}
