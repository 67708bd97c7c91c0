namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// One runtime's row in the conformance suite (<see cref="RuntimeConformanceTests"/>): the functions and repositories
/// each case uses and what differs between runtimes. A case runs for every runtime that declares its part; one left
/// null (or empty) is not generated for that runtime.
/// </summary>
internal sealed record RuntimeProfile
{
    /// <summary>The runtime's name in a manifest (<c>runtime: go</c>), and the key each case shows.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The echo, generated request id and timeout cases: a function that answers status <c>?status=</c> (200 without),
    /// header <c>X-Echo: yes</c> and JSON with <c>method</c>, <c>path</c>, <c>header</c> (the X-Test header),
    /// <c>requestId</c>, <c>query</c> and <c>body</c>, and sleeps on <c>/sleep?ms=N</c>. The echo case's call is
    /// PUT /orders/42?expand=items&amp;tag=a%20b&amp;tag=c&amp;status=201 with the JSON body {"quantity":3} and the cookies
    /// session=abc and theme=dark.
    /// </summary>
    public CalledFunction? Echo { get; init; }

    /// <summary>The exception case, once per function (a runtime with several handler styles lists one of each).</summary>
    public IReadOnlyList<FailingCall> FailingCalls { get; init; } = [];

    /// <summary>
    /// The Lambda case: a function in the Lambda style (API Gateway's HTTP API v2 event and a Lambda context in, the
    /// response it returns out) that answers the call POST /items/7?name=Ada&amp;x=1&amp;x=2&amp;status=201 with the JSON
    /// body {"created":true} with 201 and JSON with <c>method</c>, <c>path</c> (rawPath), <c>query</c>
    /// (queryStringParameters), <c>header</c> (the x-test header), <c>requestId</c> and <c>remainingMs</c> (the context's).
    /// </summary>
    public CalledFunction? Lambda { get; init; }

    /// <summary>The code-only redeploy case.</summary>
    public DependencyLayer? Dependencies { get; init; }

    /// <summary>A syntax or compile error: the deploy fails naming the file and the line.</summary>
    public BrokenRepository? SyntaxError { get; init; }

    /// <summary>A handler that loads but that the build-time check rejects (missing, or of the wrong shape).</summary>
    public BrokenRepository? RejectedHandler { get; init; }

    /// <summary>A dependency install that fails: the deploy fails with the installer's reason.</summary>
    public BrokenRepository? FailedInstall { get; init; }
}
