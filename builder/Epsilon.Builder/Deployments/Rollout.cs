namespace Epsilon.Builder.Deployments;

/// <summary>How far a deploy reached across the fleet when it answered.</summary>
/// <param name="Revision">The live revision the deploy made.</param>
/// <param name="Serving">The live gateways that serve it.</param>
/// <param name="Laggards">The live gateways that did not serve it within the rollout timeout.</param>
internal sealed record Rollout(long Revision, IReadOnlyList<string> Serving, IReadOnlyList<string> Laggards)
{
    /// <summary>Whether every live gateway serves the deploy.</summary>
    public bool Complete => Laggards.Count == 0;
}
