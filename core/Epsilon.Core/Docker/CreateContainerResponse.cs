using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>The answer of <c>POST /containers/create</c>.</summary>
public sealed class CreateContainerResponse
{
    /// <summary>The new container's id.</summary>
    [JsonPropertyName("Id")]
    public string ID { get; set; } = "";

    /// <summary>Warnings of the daemon about the configuration.</summary>
    public IList<string>? Warnings { get; set; }
}
