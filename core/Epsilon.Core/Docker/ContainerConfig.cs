namespace Epsilon.Core.Docker;

/// <summary>A container's configuration, as reported by inspect.</summary>
public sealed class ContainerConfig
{
    /// <summary>The image as named at creation.</summary>
    public string Image { get; set; } = "";

    /// <summary>The container's labels, those of the image included.</summary>
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>Environment variables as <c>NAME=value</c>, those of the image included.</summary>
    public IList<string>? Env { get; set; }

    /// <summary>The user the process runs as.</summary>
    public string? User { get; set; }
}
