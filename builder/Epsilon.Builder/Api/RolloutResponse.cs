namespace Epsilon.Builder.Api;

/// <summary>How far a deploy reached across the fleet when it answered.</summary>
/// <param name="Revision">The live revision the deploy made.</param>
/// <param name="Complete">Whether every live gateway serves it.</param>
/// <param name="Gateways">The live gateways that serve it.</param>
/// <param name="Laggards">The live gateways that did not serve it within the rollout timeout.</param>
internal sealed record RolloutResponse(long Revision, bool Complete, IReadOnlyList<string> Gateways, IReadOnlyList<string> Laggards);
