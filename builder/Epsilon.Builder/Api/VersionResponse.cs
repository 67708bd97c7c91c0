namespace Epsilon.Builder.Api;

/// <summary>One version of a function as <c>GET /functions/{name}/versions</c> shows it.</summary>
/// <param name="Version">Its number.</param>
/// <param name="Status"><c>building</c>, <c>ready</c> or <c>failed</c>.</param>
/// <param name="Image">Its image in the registry (removed once <paramref name="DeletedAt"/> is set).</param>
/// <param name="Commit">The commit its deployment built.</param>
/// <param name="DeploymentId">The deployment that made it.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="Live">Whether plain calls go to it.</param>
/// <param name="DeletedAt">When its function was deleted; absent while it exists.</param>
/// <param name="Kept">Whether an image collector must keep it: live, an alias target, or within the rollback window.</param>
/// <param name="Change">The env or secret change that made it from the version before (same image); absent for a deploy.</param>
/// <param name="ImageRemovedAt">When the garbage collector removed its image from the registry; absent while it is there. Nothing can make it live again.</param>
internal sealed record VersionResponse(
    int Version,
    string Status,
    string Image,
    string? Commit,
    string DeploymentId,
    DateTimeOffset CreatedAt,
    bool Live,
    DateTimeOffset? DeletedAt,
    bool Kept,
    string? Change = null,
    DateTimeOffset? ImageRemovedAt = null);
