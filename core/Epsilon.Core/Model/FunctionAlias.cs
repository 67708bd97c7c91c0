namespace Epsilon.Core.Model;

/// <summary>A named pointer to one version of a function, or to several with weights (a canary split).</summary>
public sealed record FunctionAlias
{
    /// <summary>The function.</summary>
    public required string Function { get; init; }

    /// <summary>The alias name; <see cref="AliasName.Live"/> is the one plain calls go to.</summary>
    public required string Name { get; init; }

    /// <summary>Weight (1..100, summing to 100) by version, in version order; one version with 100 when it is not split.</summary>
    public required IReadOnlyDictionary<int, int> Weights { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
