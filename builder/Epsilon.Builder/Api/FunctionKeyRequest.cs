namespace Epsilon.Builder.Api;

/// <summary>The body of <c>POST /functions/{name}/keys</c> (optional).</summary>
/// <param name="Name">Which caller will hold it; default <c>default</c>.</param>
public sealed record FunctionKeyRequest(string? Name);
