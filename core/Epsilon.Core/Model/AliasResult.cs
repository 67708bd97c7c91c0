namespace Epsilon.Core.Model;

/// <summary>What setting or removing an alias did.</summary>
/// <param name="Outcome">Whether it changed, and why not.</param>
/// <param name="Version">The version that was refused, when one was.</param>
/// <param name="Revision">The live revision that serves the change; 0 when nothing changed.</param>
public sealed record AliasResult(AliasOutcome Outcome, int? Version, long Revision);
