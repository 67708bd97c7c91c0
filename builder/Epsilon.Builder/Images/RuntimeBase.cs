using Epsilon.Core.Contracts;

namespace Epsilon.Builder.Images;

/// <summary>
/// What of a runtime a function image is built on: its base and build images by id (a rebuilt image under the same tag
/// is a new base) and a digest of its Dockerfile template and wrapper. Written into each function image as labels.
/// </summary>
/// <param name="BaseImage">The base image's id, or <c>absent {tag}</c> when the daemon does not have it.</param>
/// <param name="BuildImage">The build image's id, or <c>absent {tag}</c>.</param>
/// <param name="Wrapper">The template and wrapper sources' SHA-256.</param>
internal sealed record RuntimeBase(string BaseImage, string BuildImage, string Wrapper)
{
    /// <summary>The labels that record it in an image.</summary>
    public IEnumerable<KeyValuePair<string, string>> Labels =>
    [
        KeyValuePair.Create(ContainerLabels.BaseImage, BaseImage),
        KeyValuePair.Create(ContainerLabels.BuildImage, BuildImage),
        KeyValuePair.Create(ContainerLabels.Wrapper, Wrapper),
    ];

    /// <summary>What an image's labels record; null for an image built before they were written.</summary>
    public static RuntimeBase? FromLabels(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(ContainerLabels.BaseImage, out var baseImage)
        && labels.TryGetValue(ContainerLabels.BuildImage, out var buildImage) && labels.TryGetValue(ContainerLabels.Wrapper, out var wrapper)
            ? new RuntimeBase(baseImage, buildImage, wrapper)
            : null;

    /// <summary>What differs from <paramref name="current"/>: <c>base</c>, <c>build</c> and <c>wrapper</c>, in that order.</summary>
    public IReadOnlyList<string> Differences(RuntimeBase current)
    {
        var changed = new List<string>(3);
        if (BaseImage != current.BaseImage)
        {
            changed.Add("base");
        }

        if (BuildImage != current.BuildImage)
        {
            changed.Add("build");
        }

        if (Wrapper != current.Wrapper)
        {
            changed.Add("wrapper");
        }

        return changed;
    }
}
