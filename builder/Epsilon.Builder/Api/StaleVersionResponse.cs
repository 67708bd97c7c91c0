namespace Epsilon.Builder.Api;

/// <summary>A version calls reach that was built on other runtime images or wrapper than a build now uses.</summary>
/// <param name="Function">The function.</param>
/// <param name="Version">The version.</param>
/// <param name="Repository">The repository that owns the function.</param>
/// <param name="Commit">The commit it was built from.</param>
/// <param name="Runtime">The runtime.</param>
/// <param name="Image">Its image.</param>
/// <param name="Serves">What reaches it: <c>live</c> and the aliases pointing at it.</param>
/// <param name="BuiltOn">What it was built on; null when its image records nothing (built before this was recorded).</param>
/// <param name="Current">What a build now is built on.</param>
/// <param name="Changed">What differs: <c>base</c>, <c>build</c>, <c>wrapper</c>, or <c>unknown</c>.</param>
internal sealed record StaleVersionResponse(
    string Function,
    int Version,
    string Repository,
    string? Commit,
    string Runtime,
    string Image,
    IReadOnlyList<string> Serves,
    RuntimeBaseResponse? BuiltOn,
    RuntimeBaseResponse Current,
    IReadOnlyList<string> Changed);
