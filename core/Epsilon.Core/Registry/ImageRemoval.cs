namespace Epsilon.Core.Registry;

/// <summary>What a removal of images did.</summary>
/// <param name="Removed">The images no longer in the registry.</param>
/// <param name="Failed">The images left there, each with why.</param>
public sealed record ImageRemoval(IReadOnlyList<string> Removed, IReadOnlyList<string> Failed);
