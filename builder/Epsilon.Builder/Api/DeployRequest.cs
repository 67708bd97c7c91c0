namespace Epsilon.Builder.Api;

/// <summary>Body of <c>POST /deployments</c>.</summary>
/// <param name="Repository">An https:// Git URL, owner/repo (GitHub), a file:// URL or an absolute path.</param>
/// <param name="Ref">Branch, tag or commit; the default branch when absent.</param>
internal sealed record DeployRequest(string? Repository, string? Ref);
