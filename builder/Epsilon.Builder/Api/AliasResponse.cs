namespace Epsilon.Builder.Api;

/// <summary>One alias of a function as <c>GET /functions/{name}/aliases</c> shows it.</summary>
/// <param name="Name">The alias; <c>live</c> is the one plain calls go to.</param>
/// <param name="Weights">Weight by version number; one version with 100 when calls are not split.</param>
/// <param name="Url">Where it is called: <c>{gateway}/{function}@{alias}/</c> (the function's URL for <c>live</c>).</param>
/// <param name="UpdatedAt">When it last changed; absent for a <c>live</c> that a deploy or rollback set.</param>
internal sealed record AliasResponse(string Name, IReadOnlyDictionary<string, int> Weights, string Url, DateTimeOffset? UpdatedAt);
