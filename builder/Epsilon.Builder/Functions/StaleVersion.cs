using Epsilon.Builder.Images;

namespace Epsilon.Builder.Functions;

/// <summary>A version calls reach (live, or an alias's target) built on other runtime images or wrapper than a build now would use.</summary>
/// <param name="Function">The function.</param>
/// <param name="Version">The version.</param>
/// <param name="Repository">The repository that owns the function.</param>
/// <param name="Commit">The commit the version was built from.</param>
/// <param name="Image">The version's image.</param>
/// <param name="Runtime">The runtime's name.</param>
/// <param name="Serves">What reaches it: <c>live</c> and the aliases pointing at it.</param>
/// <param name="BuiltOn">What its image records it was built on; null when it records nothing (built before it was recorded, or gone from the daemon).</param>
/// <param name="Current">What a build now is built on.</param>
/// <param name="Changed">What differs: <c>base</c>, <c>build</c>, <c>wrapper</c>, or <c>unknown</c> when nothing was recorded.</param>
internal sealed record StaleVersion(
    string Function,
    int Version,
    string Repository,
    string? Commit,
    string Image,
    string Runtime,
    IReadOnlyList<string> Serves,
    RuntimeBase? BuiltOn,
    RuntimeBase Current,
    IReadOnlyList<string> Changed);
