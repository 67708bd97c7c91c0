namespace Epsilon.Builder.Api;

/// <summary>Body of <c>PUT /functions/{name}/aliases/{alias}</c>: one version, or weights by version for a canary split.</summary>
/// <param name="Version">The one version the alias points at.</param>
/// <param name="Weights">Weight (1..100, summing to 100) by version number, e.g. <c>{"7": 90, "8": 10}</c>; at most 5 versions.</param>
internal sealed record AliasRequest(int? Version, Dictionary<string, int>? Weights);
