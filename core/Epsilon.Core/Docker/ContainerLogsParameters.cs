namespace Epsilon.Core.Docker;

/// <summary>Query parameters of <c>GET /containers/{id}/logs</c>.</summary>
public sealed class ContainerLogsParameters
{
    /// <summary>Keeps the stream open until the container stops (<c>docker logs -f</c>).</summary>
    public bool Follow { get; set; }

    /// <summary>Includes standard output.</summary>
    public bool ShowStdout { get; set; } = true;

    /// <summary>Includes standard error.</summary>
    public bool ShowStderr { get; set; } = true;

    /// <summary>Prefixes each line with the daemon's RFC 3339 timestamp and a space.</summary>
    public bool Timestamps { get; set; }

    /// <summary>Only lines written at or after this instant.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only the last lines: a number, or <c>all</c> (the default when null).</summary>
    public string? Tail { get; set; }
}
