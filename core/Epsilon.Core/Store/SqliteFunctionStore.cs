using System.Data.Common;
using System.Globalization;
using Epsilon.Core.Store.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Store;

/// <summary>The store on one SQLite file in WAL mode, so a builder and a gateway on one machine can share it.</summary>
internal sealed class SqliteFunctionStore : RelationalFunctionStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;

    public SqliteFunctionStore(IOptions<StoreOptions> options, TimeProvider timeProvider)
        : base(timeProvider)
    {
        var path = options.Value.Path;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();
        _timeProvider = timeProvider;
    }

    // Every write transaction starts with BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): it holds the database's one
    // write lock from its first statement, so read-then-write sequences in it cannot interleave with another process's.
    protected override string ForUpdate => "";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets the gateway read while the builder writes; it is a property of the file and cannot be set in a transaction.
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    // SQLite cannot tell another process anything: waiters poll, at most every timeout.
    public override async Task<bool> WaitForSignalAsync(StoreSignal signal, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await Task.Delay(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        return false;
    }

    protected override Task SignalAsync(DbConnection connection, DbTransaction? transaction, StoreSignal signal, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    protected override string MigrationSql(SchemaMigration migration) => migration.Sqlite;

    protected override object WriteTime(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    protected override DateTimeOffset ReadTime(object value) =>
        DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
