namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// A function in the Lambda style: it gets API Gateway's HTTP API (v2) event and a Lambda context, and its returned
/// response is the answer. It answers the conformance call (POST /items/7?name=Ada&amp;x=1&amp;x=2&amp;status=201, JSON
/// body {"created":true}) with 201 and JSON holding <c>method</c>, <c>path</c> (rawPath), <c>query</c>
/// (queryStringParameters), <c>header</c> (the x-test header), <c>requestId</c> (the context's request id) and
/// <c>remainingMs</c> (the context's remaining time).
/// </summary>
internal sealed record LambdaFunction
{
    public required RuntimeFunction Function { get; init; }

    /// <summary>The function's timeout: the remaining time the context reports is at most this.</summary>
    public required int TimeoutMs { get; init; }

    /// <summary>What the answer holds besides the common fields, as JSON.</summary>
    public required string Answered { get; init; }

    /// <summary>Response headers the returned response sets (a header may have several values; one must match).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
