using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>The answer of <c>POST /networks/create</c>.</summary>
public sealed class NetworksCreateResponse
{
    /// <summary>The new network's id.</summary>
    [JsonPropertyName("Id")]
    public string ID { get; set; } = "";

    /// <summary>A warning of the daemon, if any.</summary>
    public string? Warning { get; set; }
}
