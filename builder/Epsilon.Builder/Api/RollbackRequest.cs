namespace Epsilon.Builder.Api;

/// <summary>Body of <c>POST /functions/{name}/rollback</c>; empty (or no body) for the version before the live one.</summary>
/// <param name="Version">The version to make live.</param>
internal sealed record RollbackRequest(int? Version);
