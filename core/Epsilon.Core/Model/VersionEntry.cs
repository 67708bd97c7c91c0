namespace Epsilon.Core.Model;

/// <summary>One version in a function's history, with what the API shows beside it.</summary>
public sealed record VersionEntry
{
    /// <summary>The version.</summary>
    public required FunctionVersion Version { get; init; }

    /// <summary>The commit its deployment built, once fetched.</summary>
    public string? Commit { get; init; }

    /// <summary>Whether plain calls go to it.</summary>
    public required bool Live { get; init; }

    /// <summary>The env or secret change that made it from the version before (e.g. <c>env set FOO</c>); null for a deploy.</summary>
    public string? Change { get; init; }
}
