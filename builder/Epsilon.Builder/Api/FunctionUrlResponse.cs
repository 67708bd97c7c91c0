namespace Epsilon.Builder.Api;

/// <summary>A function version a deployment made (or found live and unchanged), and where to call it.</summary>
internal sealed record FunctionUrlResponse(string Name, int Version, string Url)
{
    /// <summary>True when the deployment made no version: this one, live, was built from the same source.</summary>
    public bool? Unchanged { get; init; }
}
