using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>One container in the answer of <c>GET /containers/json</c>.</summary>
public sealed class ContainerListResponse
{
    /// <summary>The container's id.</summary>
    [JsonPropertyName("Id")]
    public string ID { get; set; } = "";

    /// <summary>The container's names, each with a leading slash.</summary>
    public IList<string> Names { get; set; } = [];

    /// <summary>The image as named at creation.</summary>
    public string Image { get; set; } = "";

    /// <summary>The state: <c>created</c>, <c>running</c>, <c>paused</c>, <c>exited</c>, ...</summary>
    public string State { get; set; } = "";

    /// <summary>The human-readable status (<c>Up 3 seconds</c>).</summary>
    public string Status { get; set; } = "";

    /// <summary>The container's labels.</summary>
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>When the container was created, in seconds since the Unix epoch.</summary>
    public long Created { get; set; }
}
