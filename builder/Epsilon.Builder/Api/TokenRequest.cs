namespace Epsilon.Builder.Api;

/// <summary>The body of <c>POST /tokens</c>.</summary>
/// <param name="Name">A name for people.</param>
/// <param name="Scope"><c>read</c>, <c>deploy</c> or <c>admin</c>.</param>
/// <param name="Repositories">When given, the only repositories it may deploy.</param>
public sealed record TokenRequest(string? Name, string? Scope, IReadOnlyList<string>? Repositories);
