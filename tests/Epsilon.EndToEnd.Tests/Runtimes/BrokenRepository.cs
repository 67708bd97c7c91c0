namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>A repository whose deploy fails at build time: 422 BuildFailed, with a message holding each of <see cref="Expected"/>.</summary>
internal sealed record BrokenRepository
{
    /// <summary>The example folder the repository starts from, <see cref="Files"/> written over it; null for those files alone.</summary>
    public string? Example { get; init; }

    public required IReadOnlyDictionary<string, string> Files { get; init; }

    public required IReadOnlyList<string> Expected { get; init; }
}
