namespace Epsilon.Builder.Api;

/// <summary>The body of <c>PATCH /functions/{name}/env</c>: variables to set and to unset, in one new version.</summary>
/// <param name="Set">Variables to set, by name; they outlive later deploys, over the manifest's values.</param>
/// <param name="Unset">Variables to remove; a manifest's value of one stays removed after later deploys until it is set again.</param>
public sealed record EnvChangeRequest(IReadOnlyDictionary<string, string>? Set, IReadOnlyList<string>? Unset);
