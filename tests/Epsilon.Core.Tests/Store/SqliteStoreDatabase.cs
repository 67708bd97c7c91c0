using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Store;

/// <summary>A temporary folder holding one real SQLite store file, deleted afterwards.</summary>
public sealed class SqliteStoreDatabase : IStoreDatabase
{
    public SqliteStoreDatabase()
    {
        Directory.CreateDirectory(Root);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"epsilon-store-tests-{Guid.NewGuid():N}");

    /// <summary>Nested, so the store must create the folder itself.</summary>
    public string DatabasePath => Path.Combine(Root, "data", "epsilon.db");

    async Task<IFunctionStore> IStoreDatabase.OpenStoreAsync(TimeProvider? timeProvider)
    {
        var store = new SqliteFunctionStore(Options.Create(new StoreOptions { Path = DatabasePath }), timeProvider ?? TimeProvider.System);
        await store.InitializeAsync();
        return store;
    }

    public async Task<T?> QueryScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private SqliteConnection Open() => new(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());

    public void Dispose()
    {
        // Pooled connections keep the file open; let go of them before deleting it.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
