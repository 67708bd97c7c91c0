namespace Epsilon.Core.Model;

/// <summary>One deploy of a repository: every function in it, built all or nothing.</summary>
public sealed record Deployment
{
    /// <summary>Identifier, e.g. <c>d-3f2a...</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The repository as normalized (a clone URL).</summary>
    public required string Repository { get; init; }

    /// <summary>The requested ref, if any.</summary>
    public string? Ref { get; init; }

    /// <summary>The commit that was built, once fetched.</summary>
    public string? Commit { get; init; }

    /// <summary>State.</summary>
    public required DeploymentStatus Status { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>Build log.</summary>
    public string Log { get; init; } = "";

    /// <summary>Function versions it made.</summary>
    public IReadOnlyList<DeployedFunction> Functions { get; init; } = [];

    /// <summary>When it was requested.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}
