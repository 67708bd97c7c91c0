namespace Epsilon.Core.Docker;

/// <summary>The <c>filters</c> of Docker.DotNet's list calls, whose shape (a set per filter kind) is easy to get wrong.</summary>
public static class DockerFilters
{
    /// <summary>Resources carrying every one of <paramref name="labels"/>: <c>key=value</c>, or a bare <c>key</c> for any value.</summary>
    public static IDictionary<string, IDictionary<string, bool>> Labels(params IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = labels.ToDictionary(label => label, _ => true, StringComparer.Ordinal),
        };
    }
}
