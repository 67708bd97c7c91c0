namespace Epsilon.Core.Model;

/// <summary>One immutable version of a function: an image and the configuration it was deployed with.</summary>
public sealed record FunctionVersion
{
    /// <summary>Function name.</summary>
    public required string Function { get; init; }

    /// <summary>Version number, from 1, per function.</summary>
    public required int Version { get; init; }

    /// <summary>Image reference in the registry, e.g. <c>127.0.0.1:5000/hello:v3</c>.</summary>
    public required string Image { get; init; }

    /// <summary>Build state.</summary>
    public required VersionStatus Status { get; init; }

    /// <summary>The deployment that made it.</summary>
    public required string DeploymentId { get; init; }

    /// <summary>Configuration from the manifest.</summary>
    public required FunctionConfig Config { get; init; }

    /// <summary>When the version was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// A digest of what it was built from (commit, configuration, runtime images and wrapper), so a deploy of the same
    /// thing makes no new version; null for versions made before it was recorded.
    /// </summary>
    public string? SourceKey { get; init; }

    /// <summary>When its function was deleted (its image removed with it); null while it exists.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>
    /// When the image collector removed its image from the registry (no alias or rollback reached it); null while the
    /// image is there. A collected version cannot be made live or aliased again.
    /// </summary>
    public DateTimeOffset? ImageRemovedAt { get; init; }
}
