using Epsilon.Builder.Deployments;

namespace Epsilon.Builder.Functions;

/// <summary>One repository's redeploy of a commit, forced, for functions a rebuild named.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Commit">The commit their live versions were built from; null when none was recorded.</param>
/// <param name="Functions">The functions it was made for (the deploy builds every function of the repository's manifest).</param>
/// <param name="Outcome">How the deploy ended; null when it was not started.</param>
/// <param name="Refused">Why it was not started.</param>
internal sealed record Rebuild(string Repository, string? Commit, IReadOnlyList<string> Functions, DeploymentOutcome? Outcome, string? Refused)
{
    public bool Succeeded => Outcome?.Succeeded == true;
}
