namespace Epsilon.Core.Docker;

/// <summary>The outcome of <c>POST /containers/{id}/wait</c>.</summary>
public sealed class ContainerWaitResponse
{
    /// <summary>The container's exit code (137 after SIGKILL).</summary>
    public long StatusCode { get; set; }

    /// <summary>The daemon's error while waiting (the wire's <c>Error.Message</c>), if any.</summary>
    public string? ErrorMessage { get; set; }
}
