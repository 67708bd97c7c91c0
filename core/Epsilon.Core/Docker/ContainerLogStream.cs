namespace Epsilon.Core.Docker;

/// <summary>The stream a container's log line was written to.</summary>
public enum ContainerLogStream
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
