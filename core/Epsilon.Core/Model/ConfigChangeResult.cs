namespace Epsilon.Core.Model;

/// <summary>What an env or secret change did.</summary>
/// <param name="Outcome">Whether it made a new version, and why not.</param>
/// <param name="From">The live version it was made from; null when none.</param>
/// <param name="To">The new live version; null when nothing changed.</param>
/// <param name="DeploymentId">The deployment that records the change; null when nothing changed.</param>
/// <param name="Revision">The live revision that serves it; 0 when nothing changed.</param>
public sealed record ConfigChangeResult(ConfigChangeOutcome Outcome, int? From, int? To, string? DeploymentId, long Revision)
{
    /// <summary>What changed, naming variables and never values (e.g. <c>env set FOO</c>); null when nothing did.</summary>
    public string? Change { get; init; }
}
