namespace Epsilon.Core.Docker;

/// <summary>A container's addresses, as reported by inspect.</summary>
public sealed class NetworkSettings
{
    /// <summary>The container's IPv4 address on the default bridge network; empty on other networks.</summary>
    public string? IPAddress { get; set; }

    /// <summary>The container's endpoints by network name.</summary>
    public IDictionary<string, EndpointSettings>? Networks { get; set; }
}
