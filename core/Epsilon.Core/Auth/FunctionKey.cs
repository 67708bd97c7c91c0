namespace Epsilon.Core.Auth;

/// <summary>A key that lets callers invoke a function that is not public; stored as its secret's hash only.</summary>
public sealed record FunctionKey
{
    /// <summary>Stable id, e.g. <c>key-3f2a...</c>; what revoking names.</summary>
    public required string Id { get; init; }

    /// <summary>The function it opens.</summary>
    public required string Function { get; init; }

    /// <summary>A name for people (which caller holds it).</summary>
    public required string Name { get; init; }

    /// <summary>When it was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was revoked; null while it is valid.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}
