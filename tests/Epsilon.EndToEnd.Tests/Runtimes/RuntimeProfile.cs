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

    /// <summary>The echo, generated request id and timeout cases.</summary>
    public EchoFunction? Echo { get; init; }

    /// <summary>The exception case, once per function (a runtime with several handler styles lists one of each).</summary>
    public IReadOnlyList<FailingCall> FailingCalls { get; init; } = [];

    /// <summary>The Lambda event and context case.</summary>
    public LambdaFunction? Lambda { get; init; }

    /// <summary>The code-only redeploy case.</summary>
    public DependencyLayer? Dependencies { get; init; }

    /// <summary>A syntax or compile error: the deploy fails naming the file and the line.</summary>
    public BrokenRepository? SyntaxError { get; init; }

    /// <summary>A handler that loads but that the build-time check rejects (missing, or of the wrong shape).</summary>
    public BrokenRepository? RejectedHandler { get; init; }

    /// <summary>A dependency install that fails: the deploy fails with the installer's reason.</summary>
    public BrokenRepository? FailedInstall { get; init; }
}
