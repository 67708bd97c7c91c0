using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>The answer of <c>GET /images/{name}/json</c> (the part Epsilon reads).</summary>
public sealed class ImageInspectResponse
{
    /// <summary>The image's id (<c>sha256:...</c>).</summary>
    [JsonPropertyName("Id")]
    public string ID { get; set; } = "";

    /// <summary>The image's names (<c>repo:tag</c>).</summary>
    public IList<string>? RepoTags { get; set; }

    /// <summary>The image's digests in registries (<c>repo@sha256:...</c>), known once pushed or pulled.</summary>
    public IList<string>? RepoDigests { get; set; }

    /// <summary>The image's size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>When the image was created (RFC 3339 with nanoseconds).</summary>
    public string? Created { get; set; }
}
