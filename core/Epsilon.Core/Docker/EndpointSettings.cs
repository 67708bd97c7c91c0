namespace Epsilon.Core.Docker;

/// <summary>A container's endpoint on one network.</summary>
public sealed class EndpointSettings
{
    /// <summary>The container's IPv4 address on the network (read), empty until it runs.</summary>
    public string? IPAddress { get; set; }

    /// <summary>The network's id (read).</summary>
    public string? NetworkID { get; set; }

    /// <summary>DNS aliases of the container on a user-defined network.</summary>
    public IList<string>? Aliases { get; set; }
}
