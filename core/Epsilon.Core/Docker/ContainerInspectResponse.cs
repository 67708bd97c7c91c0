using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>The answer of <c>GET /containers/{id}/json</c> (the part Epsilon reads).</summary>
public sealed class ContainerInspectResponse
{
    /// <summary>The container's id.</summary>
    [JsonPropertyName("Id")]
    public string ID { get; set; } = "";

    /// <summary>The container's name, with the daemon's leading slash (<c>/name</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The id of the image the container runs.</summary>
    public string Image { get; set; } = "";

    /// <summary>When the container was created.</summary>
    public DateTimeOffset Created { get; set; }

    /// <summary>The container's run state.</summary>
    public ContainerState State { get; set; } = new();

    /// <summary>The container's configuration as created.</summary>
    public ContainerConfig Config { get; set; } = new();

    /// <summary>The container's addresses and networks.</summary>
    public NetworkSettings NetworkSettings { get; set; } = new();
}
