namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// An example whose dependencies are installed at build time in an image layer of their own, before its code is copied,
/// so that a redeploy changing only code reuses that layer (and the settings steps) and runs only the code's steps.
/// </summary>
internal sealed record DependencyLayer
{
    /// <summary>The example folder, e.g. <c>examples/go-deps</c>.</summary>
    public required string Example { get; init; }

    /// <summary>The function in the example's manifest; the case deploys it as <c>&lt;Function&gt;-cache</c>.</summary>
    public required string Function { get; init; }

    /// <summary>A call that uses the dependency: the path and query after the function's name.</summary>
    public required string Call { get; init; }

    /// <summary>What the JSON answer to <see cref="Call"/> holds, before and after the code change.</summary>
    public required string Answered { get; init; }

    /// <summary>Response headers the call answers (a header may have several values; one must match).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Text of the build log's line for the step that installs the dependencies.</summary>
    public required string InstallStep { get; init; }

    /// <summary>Text of the line for the last settings step (CMD, ENTRYPOINT), which comes before the code.</summary>
    public required string SettingsStep { get; init; }

    /// <summary>Text of the line for a step after the install that works on the code (compile, load check).</summary>
    public required string CodeStep { get; init; }

    /// <summary>
    /// The code-only change: in <c>File</c>, <c>Find</c> becomes <c>Replacement</c>, in which <c>{revision}</c> stands
    /// for a value new to each run (so Docker's cache cannot have the code's steps); the new code answers it in
    /// <see cref="RevisionField"/>.
    /// </summary>
    public required (string File, string Find, string Replacement) CodeChange { get; init; }

    public required string RevisionField { get; init; }

    /// <summary>What <see cref="RevisionField"/> holds before the change; null when the answer has no such field.</summary>
    public string? OriginalRevision { get; init; }
}
