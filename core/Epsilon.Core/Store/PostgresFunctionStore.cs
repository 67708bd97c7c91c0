using System.Data.Common;
using Epsilon.Core.Store.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Epsilon.Core.Store;

/// <summary>The store on PostgreSQL, shared by the builder and every gateway of a fleet.</summary>
internal sealed class PostgresFunctionStore : RelationalFunctionStore, IAsyncDisposable, IDisposable
{
    // Any fixed number that no other tenant of the database uses for an advisory lock: "Epsilon" in ASCII.
    private const long MigrationLockKey = 0x45_70_73_69_6C_6F_6E;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresFunctionStore(IOptions<StoreOptions> options, TimeProvider timeProvider)
        : base(timeProvider)
    {
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString
            ?? throw new InvalidOperationException("Epsilon:Store:ConnectionString is required for the PostgreSQL store."));
    }

    protected override string ForUpdate => " FOR UPDATE";

    /// <summary>The data source, for what needs a connection of its own (LISTEN).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Held until the transaction ends: a second process starting at the same moment waits, then finds nothing to do.
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }

    protected override string MigrationSql(SchemaMigration migration) => migration.Postgres;

    protected override object WriteTime(DateTimeOffset value) => value.ToUniversalTime();

    protected override DateTimeOffset ReadTime(object value) => value switch
    {
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset offset => offset,
        _ => throw new InvalidDataException($"unexpected timestamp of type {value.GetType().Name}"),
    };

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
