using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>The body of <c>POST /containers/create</c> (a subset of the Engine API's <c>ContainerConfig</c>).</summary>
public sealed class CreateContainerParameters
{
    /// <summary>The container's name, sent as the <c>name</c> query parameter; the daemon picks one when null.</summary>
    [JsonIgnore]
    public string? Name { get; set; }

    /// <summary>The image to run, by name (<c>repo:tag</c>) or id.</summary>
    public required string Image { get; set; }

    /// <summary>The command, overriding the image's <c>CMD</c>.</summary>
    public IList<string>? Cmd { get; set; }

    /// <summary>The entrypoint, overriding the image's <c>ENTRYPOINT</c>.</summary>
    public IList<string>? Entrypoint { get; set; }

    /// <summary>Environment variables as <c>NAME=value</c>.</summary>
    public IList<string>? Env { get; set; }

    /// <summary>Labels of the container (Epsilon marks its resources with <c>epsilon.*</c> labels).</summary>
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>The user (<c>name</c>, <c>uid</c> or <c>uid:gid</c>) the process runs as.</summary>
    public string? User { get; set; }

    /// <summary>The working directory of the process.</summary>
    public string? WorkingDir { get; set; }

    /// <summary>Resource limits, security and network settings of the host side.</summary>
    public HostConfig? HostConfig { get; set; }

    /// <summary>The networks to connect at creation, with their endpoint settings.</summary>
    public NetworkingConfig? NetworkingConfig { get; set; }
}
