namespace Epsilon.Core.Docker;

/// <summary>The answer of <c>GET /version</c>.</summary>
public sealed class VersionResponse
{
    /// <summary>The engine's version (<c>20.10.24</c>).</summary>
    public string Version { get; set; } = "";

    /// <summary>The newest API version the engine speaks (<c>1.41</c>).</summary>
    public string ApiVersion { get; set; } = "";

    /// <summary>The oldest API version the engine speaks.</summary>
    public string? MinAPIVersion { get; set; }

    /// <summary>The engine's operating system (<c>linux</c>).</summary>
    public string Os { get; set; } = "";

    /// <summary>The engine's architecture (<c>amd64</c>).</summary>
    public string Arch { get; set; } = "";

    /// <summary>The host's kernel version.</summary>
    public string? KernelVersion { get; set; }
}
