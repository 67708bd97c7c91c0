namespace Epsilon.Builder.Api;

/// <summary>A token as the API shows it; <see cref="Token"/> (the secret) only in the answer that created it.</summary>
public sealed record TokenResponse(string Id, string Name, string Scope, IReadOnlyList<string> Repositories, DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>The secret, shown once.</summary>
    public string? Token { get; init; }
}
