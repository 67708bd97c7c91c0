namespace Epsilon.Core.Docker;

/// <summary>Where and how the Docker Engine API is reached (section <c>Epsilon:Docker</c>).</summary>
public sealed class DockerClientOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Epsilon:Docker";

    /// <summary>The daemon's endpoint: <c>unix:///path/to/docker.sock</c> or <c>tcp://host:port</c> (plain HTTP).</summary>
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>The Engine API version every request is made with (the path prefix <c>/v1.41/</c>).</summary>
    public string ApiVersion { get; set; } = "1.41";

    /// <summary>
    /// The bound of each non-streaming request. Streams (build, pull, push, logs, wait, events) are bounded
    /// only by the caller's cancellation token.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
