using Microsoft.Extensions.Options;
using Npgsql;

namespace Epsilon.Core.Store;

/// <summary>
/// A fresh database on the test PostgreSQL server (started by scripts/postgres.sh, which the test command runs; its
/// connection string in <c>EPSILON_TEST_POSTGRES</c>), dropped afterwards.
/// </summary>
public sealed class PostgresStoreDatabase : IStoreDatabase
{
    private readonly List<PostgresFunctionStore> _stores = [];

    public PostgresStoreDatabase()
    {
        using var connection = new NpgsqlConnection(ServerConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
        command.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ToString();
    }

    /// <summary>The test server, from <c>EPSILON_TEST_POSTGRES</c> (what scripts/postgres.sh prints by default).</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("EPSILON_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public string Name { get; } = $"epsilon_test_{Guid.NewGuid():N}";

    public string ConnectionString { get; }

    async Task<IFunctionStore> IStoreDatabase.OpenStoreAsync(TimeProvider? timeProvider)
    {
        var store = new PostgresFunctionStore(Options.Create(new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = ConnectionString }),
            timeProvider ?? TimeProvider.System);
        lock (_stores)
        {
            _stores.Add(store);
        }

        await store.InitializeAsync();
        return store;
    }

    public async Task<T?> QueryScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("$", "@", StringComparison.Ordinal), connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name.TrimStart('$', '@'), value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ServerConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}
