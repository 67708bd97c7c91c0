namespace Epsilon.Builder.Api;

/// <summary>What an env or secret change did: the new live version, made from the previous one with the same image.</summary>
/// <param name="Name">The function.</param>
/// <param name="Version">The version now live.</param>
/// <param name="PreviousVersion">The version it was made from.</param>
/// <param name="DeploymentId">The deployment that records the change (its log names the variables, never values).</param>
/// <param name="Change">What changed, e.g. <c>env set FOO</c>.</param>
/// <param name="Url">Where the function is called.</param>
/// <param name="Rollout">Which gateways serve it.</param>
internal sealed record ConfigChangeResponse(string Name, int Version, int PreviousVersion, string DeploymentId, string Change, string Url,
    RolloutResponse Rollout);
