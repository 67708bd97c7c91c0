namespace Epsilon.Core.Model;

/// <summary>What one pass of the image collector took from a function.</summary>
/// <param name="Function">The function.</param>
/// <param name="Versions">The versions now marked collected, ascending.</param>
/// <param name="Images">Their images, each once, for removal from the registry: no other version refers to any of them.</param>
public sealed record CollectedVersions(string Function, IReadOnlyList<int> Versions, IReadOnlyList<string> Images);
