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
    private readonly PostgresSignalListener _listener;
    private readonly TimeProvider _timeProvider;
    private int _disposed;

    public PostgresFunctionStore(IOptions<StoreOptions> options, TimeProvider timeProvider)
        : base(timeProvider)
    {
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString
            ?? throw new InvalidOperationException("Epsilon:Store:ConnectionString is required for the PostgreSQL store."));
        _listener = new PostgresSignalListener(_dataSource, timeProvider);
        _timeProvider = timeProvider;
    }

    protected override string ForUpdate => " FOR UPDATE";

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

    public override async Task<bool> WaitForSignalAsync(StoreSignal signal, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Taken before the first await, so a signal raised after this call and before the caller awaits is not missed.
        var next = _listener.NextAsync(signal);
        try
        {
            await next.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    protected override async Task SignalAsync(DbConnection connection, DbTransaction? transaction, StoreSignal signal, CancellationToken cancellationToken)
    {
        // NOTIFY in a transaction is delivered when it commits, and not at all if it rolls back.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"NOTIFY {PostgresSignalListener.Channel(signal)}";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override string MigrationSql(SchemaMigration migration) => migration.Postgres;

    protected override object WriteTime(DateTimeOffset value) => value.ToUniversalTime();

    protected override DateTimeOffset ReadTime(object value) => value switch
    {
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset offset => offset,
        _ => throw new InvalidDataException($"unexpected timestamp of type {value.GetType().Name}"),
    };

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as both store interfaces, the one instance is disposed once per registration.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
