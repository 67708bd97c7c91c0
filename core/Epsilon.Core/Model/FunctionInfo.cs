namespace Epsilon.Core.Model;

/// <summary>A function and its live version, as listed by the API.</summary>
public sealed record FunctionInfo
{
    /// <summary>Function name.</summary>
    public required string Name { get; init; }

    /// <summary>The repository that owns the name.</summary>
    public required string Repository { get; init; }

    /// <summary>The version calls go to; null before a first successful deploy.</summary>
    public FunctionVersion? Live { get; init; }

    /// <summary>When the name was first claimed.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
