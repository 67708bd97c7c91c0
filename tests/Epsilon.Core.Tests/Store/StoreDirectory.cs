using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Store;

/// <summary>A temporary folder holding one real SQLite store file, deleted afterwards.</summary>
internal sealed class StoreDirectory : IDisposable
{
    public StoreDirectory()
    {
        Directory.CreateDirectory(Root);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"epsilon-store-tests-{Guid.NewGuid():N}");

    /// <summary>Nested, so the store must create the folder itself.</summary>
    public string DatabasePath => Path.Combine(Root, "data", "epsilon.db");

    /// <summary>A new store instance on the file, as a separate process (builder or gateway) would open it.</summary>
    public async Task<SqliteFunctionStore> OpenStoreAsync()
    {
        var store = new SqliteFunctionStore(Options.Create(new StoreOptions { Path = DatabasePath }), TimeProvider.System);
        await store.InitializeAsync();
        return store;
    }

    /// <summary>Reads one value straight from the file, for state the store's API does not expose.</summary>
    public async Task<T?> QueryScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
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
