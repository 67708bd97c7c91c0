namespace Epsilon.Core.Docker;

/// <summary>A container attached to a network, as reported by network inspect.</summary>
public sealed class NetworkContainer
{
    /// <summary>The container's name.</summary>
    public string? Name { get; set; }

    /// <summary>The container's address with prefix length (<c>172.18.0.2/16</c>).</summary>
    public string? IPv4Address { get; set; }
}
