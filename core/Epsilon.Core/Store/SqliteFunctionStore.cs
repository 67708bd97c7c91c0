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

    protected override string MigrationSql(SchemaMigration migration) => migration.Sqlite;

    protected override object WriteTime(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    protected override DateTimeOffset ReadTime(object value) =>
        DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
