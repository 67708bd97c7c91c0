namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// A function a case calls, with what its answer holds besides the fields every runtime answers alike (the case checks
/// those; <see cref="RuntimeProfile"/> says which for each case).
/// </summary>
internal sealed record CalledFunction
{
    public required RuntimeFunction Function { get; init; }

    /// <summary>The function's timeout: its manifest's, or the default 15 s.</summary>
    public required int TimeoutMs { get; init; }

    /// <summary>
    /// What the JSON answer to the case's call holds besides the common fields, as a JSON object (the answer may have
    /// more): the fields each runtime answers in its own shape (a query value as a string or a list, a body as text or
    /// parsed JSON) and those only its example has.
    /// </summary>
    public required string Answered { get; init; }

    /// <summary>Response headers the call answers besides the common ones (a header may have several values; one must match).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
