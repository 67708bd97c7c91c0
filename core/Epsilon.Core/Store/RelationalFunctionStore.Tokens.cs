using System.Text.Json;
using Dapper;
using Epsilon.Core.Auth;

namespace Epsilon.Core.Store;

/// <summary>The API tokens' queries.</summary>
internal abstract partial class RelationalFunctionStore
{
    private const string TokenColumns = "id, name, scope, repositories, token_hash AS TokenHash, created_at AS CreatedAt, revoked_at AS RevokedAt";

    public async Task<ApiToken> CreateTokenAsync(string name, TokenScope scope, IReadOnlyList<string> repositories, string hash,
        CancellationToken cancellationToken = default)
    {
        var token = new ApiToken { Id = NewTokenId(), Name = name, Scope = scope, Repositories = repositories, CreatedAt = Now() };
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_tokens (id, name, scope, repositories, token_hash, created_at) VALUES (@Id, @Name, @Scope, @Repositories, @hash, @CreatedAt)",
            new
            {
                token.Id, token.Name, Scope = scope.ToString(), Repositories = JsonSerializer.Serialize(repositories.ToArray(), StoreJsonContext.Default.StringArray),
                hash, CreatedAt = WriteTime(token.CreatedAt),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return token;
    }

    public async Task<ApiToken> UpsertAdminTokenAsync(string name, string hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var existing = (await connection.QueryRowsAsync<TokenRow>(new CommandDefinition(
            $"SELECT {TokenColumns} FROM api_tokens WHERE name = @name AND revoked_at IS NULL ORDER BY created_at{ForUpdate}", new { name }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false)).FirstOrDefault();
        var token = existing is null
            ? new ApiToken { Id = NewTokenId(), Name = name, Scope = TokenScope.Admin, CreatedAt = Now() }
            : ToToken(existing) with { Scope = TokenScope.Admin, Repositories = [] };
        // The secret's hash is unique: a token of another name holding the same secret gives it up to this one.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM api_tokens WHERE token_hash = @hash AND id <> @Id", new { hash, token.Id }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            existing is null
                ? "INSERT INTO api_tokens (id, name, scope, repositories, token_hash, created_at) VALUES (@Id, @Name, @Scope, '[]', @hash, @CreatedAt)"
                : "UPDATE api_tokens SET scope = @Scope, repositories = '[]', token_hash = @hash WHERE id = @Id",
            new { token.Id, token.Name, Scope = token.Scope.ToString(), hash, CreatedAt = WriteTime(token.CreatedAt) }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return token;
    }

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<TokenRow>(new CommandDefinition(
            $"SELECT {TokenColumns} FROM api_tokens ORDER BY created_at, id", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToToken).ToList();
    }

    public async Task<ApiToken?> FindTokenAsync(string hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = (await connection.QueryRowsAsync<TokenRow>(new CommandDefinition(
            $"SELECT {TokenColumns} FROM api_tokens WHERE token_hash = @hash", new { hash }, cancellationToken: cancellationToken))
            .ConfigureAwait(false)).SingleOrDefault();
        // The index found it; the comparison that decides is the one whose time says nothing.
        return row is not null && TokenSecret.HashesEqual(row.TokenHash, hash) ? ToToken(row) : null;
    }

    public async Task<bool> RevokeTokenAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { now = WriteTime(Now()), id },
            cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    private static string NewTokenId() => "tok-" + Guid.NewGuid().ToString("N")[..16];

    private ApiToken ToToken(TokenRow row) => new()
    {
        Id = row.Id,
        Name = row.Name,
        Scope = Enum.Parse<TokenScope>(row.Scope),
        Repositories = JsonSerializer.Deserialize(row.Repositories, StoreJsonContext.Default.StringArray) ?? [],
        CreatedAt = ReadTime(row.CreatedAt),
        RevokedAt = row.RevokedAt is null ? null : ReadTime(row.RevokedAt),
    };

    private sealed class TokenRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Scope { get; set; } = "";
        public string Repositories { get; set; } = "[]";
        public string TokenHash { get; set; } = "";
        public object CreatedAt { get; set; } = "";
        public object? RevokedAt { get; set; }
    }
}
