using Epsilon.Core.Auth;

namespace Epsilon.Core.Store;

/// <summary>The builder's API tokens, kept as hashes of their secrets.</summary>
public interface IApiTokenStore
{
    /// <summary>Records a new token whose secret hashes to <paramref name="hash"/>.</summary>
    Task<ApiToken> CreateTokenAsync(string name, TokenScope scope, IReadOnlyList<string> repositories, string hash,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the valid token named <paramref name="name"/> an admin token with <paramref name="hash"/>: updates it when one
    /// exists, creates it otherwise (the configured bootstrap token; changing the value replaces the old secret).
    /// </summary>
    Task<ApiToken> UpsertAdminTokenAsync(string name, string hash, CancellationToken cancellationToken = default);

    /// <summary>Every token, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>The token whose secret hashes to <paramref name="hash"/>, revoked or not; null when none does.</summary>
    Task<ApiToken?> FindTokenAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Revokes a token; false when no valid token has that id.</summary>
    Task<bool> RevokeTokenAsync(string id, CancellationToken cancellationToken = default);
}
