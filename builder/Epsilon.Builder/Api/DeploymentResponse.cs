namespace Epsilon.Builder.Api;

/// <summary>A deployment as the API shows it.</summary>
internal sealed record DeploymentResponse(
    string DeploymentId,
    string Status,
    string Repository,
    string? Ref,
    string? Commit,
    string? Error,
    IReadOnlyList<FunctionUrlResponse> Functions,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? Log)
{
    /// <summary>Which gateways serve the deployment: present once it went live.</summary>
    public RolloutResponse? Rollout { get; init; }
}
