namespace Epsilon.Core.Auth;

/// <summary>An API token as stored: never its secret, only the secret's hash.</summary>
public sealed record ApiToken
{
    /// <summary>Stable id, e.g. <c>tok-3f2a...</c>; what revoking names.</summary>
    public required string Id { get; init; }

    /// <summary>A name for people (who or what holds it).</summary>
    public required string Name { get; init; }

    /// <summary>What it may do.</summary>
    public required TokenScope Scope { get; init; }

    /// <summary>When not empty, the only repositories (as the builder displays them) it may deploy.</summary>
    public IReadOnlyList<string> Repositories { get; init; } = [];

    /// <summary>When it was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was revoked; null while it is valid.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Whether it allows what <paramref name="required"/> allows.</summary>
    public bool Allows(TokenScope required) => RevokedAt is null && Scope >= required;
}
