using Dapper;
using Epsilon.Core.Auth;

namespace Epsilon.Core.Store;

/// <summary>The function keys' queries.</summary>
internal abstract partial class RelationalFunctionStore
{
    public async Task<FunctionKey> CreateFunctionKeyAsync(string function, string name, string hash, CancellationToken cancellationToken = default)
    {
        var key = new FunctionKey { Id = "key-" + Guid.NewGuid().ToString("N")[..16], Function = function, Name = name, CreatedAt = Now() };
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO function_keys (id, function, name, key_hash, created_at) VALUES (@Id, @Function, @Name, @hash, @CreatedAt)",
            new { key.Id, key.Function, key.Name, hash, CreatedAt = WriteTime(key.CreatedAt) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        // Gateways that hear signals (PostgreSQL) load the key at once; the others at their next refresh.
        await SignalAsync(connection, null, StoreSignal.RevisionChanged, cancellationToken).ConfigureAwait(false);
        return key;
    }

    public async Task<IReadOnlyList<FunctionKey>> ListFunctionKeysAsync(string function, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<FunctionKeyRow>(new CommandDefinition(
            "SELECT id, function, name, created_at AS CreatedAt, revoked_at AS RevokedAt FROM function_keys WHERE function = @function ORDER BY created_at, id",
            new { function }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new FunctionKey
        {
            Id = r.Id,
            Function = r.Function,
            Name = r.Name,
            CreatedAt = ReadTime(r.CreatedAt),
            RevokedAt = r.RevokedAt is null ? null : ReadTime(r.RevokedAt),
        }).ToList();
    }

    public async Task<bool> RevokeFunctionKeyAsync(string function, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE function_keys SET revoked_at = @now WHERE id = @id AND function = @function AND revoked_at IS NULL",
            new { now = WriteTime(Now()), id, function }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
        if (revoked)
        {
            await SignalAsync(connection, null, StoreSignal.RevisionChanged, cancellationToken).ConfigureAwait(false);
        }

        return revoked;
    }

    public async Task<IReadOnlyList<(string Function, string Hash)>> ListValidKeyHashesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<KeyHashRow>(new CommandDefinition(
            "SELECT function, key_hash AS KeyHash FROM function_keys WHERE revoked_at IS NULL", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => (r.Function, r.KeyHash)).ToList();
    }

    private sealed class FunctionKeyRow
    {
        public string Id { get; set; } = "";
        public string Function { get; set; } = "";
        public string Name { get; set; } = "";
        public object CreatedAt { get; set; } = "";
        public object? RevokedAt { get; set; }
    }

    private sealed class KeyHashRow
    {
        public string Function { get; set; } = "";
        public string KeyHash { get; set; } = "";
    }
}
