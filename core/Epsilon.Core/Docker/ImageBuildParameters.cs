namespace Epsilon.Core.Docker;

/// <summary>Query parameters of <c>POST /build</c>.</summary>
public sealed class ImageBuildParameters
{
    /// <summary>Names (<c>repo:tag</c>) given to the built image (<c>t</c>, repeated).</summary>
    public IList<string>? Tags { get; set; }

    /// <summary>The Dockerfile's path inside the context (<c>dockerfile</c>); <c>Dockerfile</c> when null.</summary>
    public string? Dockerfile { get; set; }

    /// <summary>Values of the Dockerfile's <c>ARG</c>s (<c>buildargs</c>, as JSON).</summary>
    public IDictionary<string, string>? BuildArgs { get; set; }

    /// <summary>Labels added to the image (<c>labels</c>, as JSON).</summary>
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>Ignores the layer cache (<c>nocache</c>).</summary>
    public bool NoCache { get; set; }

    /// <summary>Removes intermediate containers after a successful build (<c>rm</c>).</summary>
    public bool Remove { get; set; } = true;

    /// <summary>Removes intermediate containers even after a failed build (<c>forcerm</c>).</summary>
    public bool ForceRemove { get; set; } = true;
}
