namespace Epsilon.Builder.Api;

/// <summary>A function version a deployment made, and where to call it.</summary>
internal sealed record FunctionUrlResponse(string Name, int Version, string Url);
