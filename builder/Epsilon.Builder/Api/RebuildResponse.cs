namespace Epsilon.Builder.Api;

/// <summary>What a rebuild did: one redeploy per repository and commit.</summary>
/// <param name="Rebuilds">Each redeploy.</param>
/// <param name="Failed">How many of them failed or were not started.</param>
internal sealed record RebuildResponse(IReadOnlyList<RebuildEntryResponse> Rebuilds, int Failed);
