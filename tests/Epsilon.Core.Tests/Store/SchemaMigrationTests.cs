using System.Text.RegularExpressions;
using Epsilon.Core.Store.Migrations;

namespace Epsilon.Core.Store;

/// <summary>Schema migrations, the same on every database: applied once, one process at a time, additive only.</summary>
public abstract class SchemaMigrationTests<TDatabase> : IDisposable
    where TDatabase : IStoreDatabase, new()
{
    private readonly TDatabase _database = new();

    private protected TDatabase Database => _database;

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task InitializeAsync_FreshDatabase_RecordsEveryStep()
    {
        await ((IStoreDatabase)_database).OpenStoreAsync();

        Assert.Equal(SchemaMigrations.All.Count, await _database.QueryScalarAsync<long>($"SELECT COUNT(*) FROM {SchemaMigrations.HistoryTable}"));
        Assert.Equal(SchemaMigrations.All[^1].Version, await _database.QueryScalarAsync<long>($"SELECT MAX(version) FROM {SchemaMigrations.HistoryTable}"));
    }

    [Fact]
    public async Task InitializeAsync_SixProcessesStartingAtOnce_ApplyEachStepOnceAndAllWork()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => ((IStoreDatabase)_database).OpenStoreAsync())));

        Assert.Equal(SchemaMigrations.All.Count, await _database.QueryScalarAsync<long>($"SELECT COUNT(*) FROM {SchemaMigrations.HistoryTable}"));
        foreach (var store in stores)
        {
            Assert.NotNull(await store.GetDeploymentAsync((await store.CreateDeploymentAsync("https://example.test/r.git", null)).Id));
        }
    }

    [Fact]
    public async Task InitializeAsync_DatabaseMigratedByANewerRelease_RunsOn()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        await _database.ExecuteAsync(
            $"INSERT INTO {SchemaMigrations.HistoryTable} (version, name, applied_at) VALUES (999, 'from a newer release', '2030-01-01T00:00:00Z')");
        var deployment = await store.CreateDeploymentAsync("https://example.test/r.git", null);

        var older = await ((IStoreDatabase)_database).OpenStoreAsync();

        Assert.NotNull(await older.GetDeploymentAsync(deployment.Id));
        Assert.Equal(SchemaMigrations.All.Count + 1, await _database.QueryScalarAsync<long>($"SELECT COUNT(*) FROM {SchemaMigrations.HistoryTable}"));
    }
}

/// <summary>The migration tests on SQLite.</summary>
public sealed class SqliteSchemaMigrationTests : SchemaMigrationTests<SqliteStoreDatabase>;

/// <summary>The migration tests on PostgreSQL.</summary>
public sealed class PostgresSchemaMigrationTests : SchemaMigrationTests<PostgresStoreDatabase>;

/// <summary>What every step must be, whatever the database: numbered without gaps and only adding.</summary>
public sealed partial class SchemaMigrationRulesTests
{
    [Fact]
    public void Steps_AreNumberedFromOneWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, SchemaMigrations.All[^1].Version), SchemaMigrations.All.Select(m => m.Version));
    }

    [Fact]
    public void Steps_OnlyAdd_SoThePreviousReleaseKeepsWorking()
    {
        foreach (var migration in SchemaMigrations.All)
        {
            foreach (var sql in new[] { migration.Sqlite, migration.Postgres })
            {
                Assert.False(Destructive().IsMatch(sql), $"step {migration.Version} removes or changes something: {Destructive().Match(sql).Value}");
                foreach (Match column in AddColumn().Matches(sql))
                {
                    // A new NOT NULL column without a default breaks the previous release's INSERTs.
                    Assert.False(column.Value.Contains("NOT NULL", StringComparison.OrdinalIgnoreCase)
                        && !column.Value.Contains("DEFAULT", StringComparison.OrdinalIgnoreCase),
                        $"step {migration.Version} adds a NOT NULL column without a default: {column.Value}");
                }
            }
        }
    }

    [GeneratedRegex(@"\b(DROP|RENAME|ALTER\s+COLUMN|TRUNCATE|DELETE\s+FROM)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Destructive();

    [GeneratedRegex(@"ADD\s+COLUMN[^;,]*", RegexOptions.IgnoreCase)]
    private static partial Regex AddColumn();
}
