namespace Epsilon.Core.Http;

/// <summary>The error shape every Epsilon API answers with: <c>{ "error": { "code", "message", ... } }</c>.</summary>
/// <param name="Error">The error.</param>
public sealed record ErrorBody(ErrorDetail Error);
