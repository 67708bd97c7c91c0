namespace Epsilon.Builder.Api;

/// <summary>What setting or removing an alias did.</summary>
/// <param name="Name">The function.</param>
/// <param name="Alias">The alias.</param>
/// <param name="Weights">Weight by version number it now points at; absent once removed.</param>
/// <param name="Url">Where it is called; absent once removed.</param>
/// <param name="Rollout">Which gateways serve the change.</param>
internal sealed record AliasChangeResponse(string Name, string Alias, IReadOnlyDictionary<string, int>? Weights, string? Url, RolloutResponse Rollout);
