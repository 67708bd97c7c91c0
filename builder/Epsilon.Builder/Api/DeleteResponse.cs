namespace Epsilon.Builder.Api;

/// <summary>What deleting a function did.</summary>
/// <param name="Name">The function, whose name is free again.</param>
/// <param name="DeletedImages">The image tags removed from the registry.</param>
/// <param name="ImageErrors">Images that could not be removed, with why; the function is deleted regardless.</param>
/// <param name="Rollout">Which gateways dropped it.</param>
internal sealed record DeleteResponse(string Name, IReadOnlyList<string> DeletedImages, IReadOnlyList<string> ImageErrors, RolloutResponse Rollout);
