namespace Epsilon.Builder.Api;

/// <summary>A function key as the API shows it; <see cref="Key"/> (the secret) only in the answer that created it.</summary>
public sealed record FunctionKeyResponse(string Id, string Function, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>The secret callers send in <c>X-Epsilon-Key</c>, shown once.</summary>
    public string? Key { get; init; }
}
