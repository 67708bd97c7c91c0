namespace Epsilon.Builder.Api;

/// <summary>One repository deployed again at a commit, with force, for the functions a rebuild named.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Commit">The commit built again.</param>
/// <param name="Functions">The functions it was made for; the deploy builds every function of the repository's manifest.</param>
/// <param name="Status"><c>ready</c>, <c>failed</c>, or <c>refused</c> when it was not started.</param>
/// <param name="DeploymentId">Its deployment, when started.</param>
/// <param name="Versions">The versions it made live, with their URLs.</param>
/// <param name="Error">Why it failed or was not started.</param>
/// <param name="Rollout">Which gateways serve it.</param>
internal sealed record RebuildEntryResponse(
    string Repository,
    string? Commit,
    IReadOnlyList<string> Functions,
    string Status,
    string? DeploymentId,
    IReadOnlyList<FunctionUrlResponse> Versions,
    string? Error,
    RolloutResponse? Rollout);
