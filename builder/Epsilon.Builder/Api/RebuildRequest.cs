namespace Epsilon.Builder.Api;

/// <summary>The body of <c>POST /functions/rebuild</c>: the functions to rebuild (else <c>?stale=true</c> picks them).</summary>
internal sealed record RebuildRequest(IReadOnlyList<string>? Functions);
