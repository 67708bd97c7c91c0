using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>The answer of <c>GET /networks/{id}</c> (the part Epsilon reads).</summary>
public sealed class NetworkResponse
{
    /// <summary>The network's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The network's id.</summary>
    [JsonPropertyName("Id")]
    public string ID { get; set; } = "";

    /// <summary>The network's driver.</summary>
    public string Driver { get; set; } = "";

    /// <summary>The network's labels.</summary>
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>The running containers attached, by container id.</summary>
    public IDictionary<string, NetworkContainer>? Containers { get; set; }
}
