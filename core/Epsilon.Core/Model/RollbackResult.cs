namespace Epsilon.Core.Model;

/// <summary>What a rollback did.</summary>
/// <param name="Outcome">Whether it moved the live version, and why not.</param>
/// <param name="From">The live version before it; null when nothing was live.</param>
/// <param name="To">The version asked for or chosen; null when none could be.</param>
/// <param name="Revision">The live revision that serves it; 0 when nothing moved.</param>
public sealed record RollbackResult(RollbackOutcome Outcome, int? From, int? To, long Revision);
