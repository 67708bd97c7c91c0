namespace Epsilon.Builder.Api;

/// <summary>What a rollback did.</summary>
/// <param name="Name">The function.</param>
/// <param name="Version">The version now live.</param>
/// <param name="PreviousVersion">The version live before it.</param>
/// <param name="Url">Where it is called.</param>
/// <param name="Rollout">Which gateways serve it.</param>
internal sealed record RollbackResponse(string Name, int Version, int? PreviousVersion, string Url, RolloutResponse Rollout);
