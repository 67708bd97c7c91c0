namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// A function that answers what it was called with: status <c>?status=</c> (200 without), header <c>X-Echo: yes</c>,
/// and JSON with <c>method</c>, <c>path</c>, <c>header</c> (the X-Test header), <c>requestId</c> and the
/// <c>query</c> and <c>body</c> in the runtime's own shape; <c>/sleep?ms=N</c> sleeps.
/// </summary>
internal sealed record EchoFunction
{
    public required RuntimeFunction Function { get; init; }

    /// <summary>The function's timeout from its manifest.</summary>
    public required int TimeoutMs { get; init; }

    /// <summary>
    /// What the answer to the conformance echo call (PUT /orders/42?expand=items&amp;tag=a%20b&amp;tag=c&amp;status=201,
    /// JSON body {"quantity":3}, cookies session=abc and theme=dark) holds besides the common fields, as JSON.
    /// </summary>
    public required string Echoed { get; init; }

    /// <summary>Response headers the echo call answers besides X-Echo (a header may have several values; one must match).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
