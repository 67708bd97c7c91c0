namespace Epsilon.Builder.Api;

/// <summary>The body of <c>PUT /functions/{name}/secrets/{secret}</c>. The value is encrypted at once and never answered back.</summary>
/// <param name="Value">The secret's value.</param>
public sealed record SecretRequest(string? Value);
