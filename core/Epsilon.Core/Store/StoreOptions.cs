namespace Epsilon.Core.Store;

/// <summary>Where the store lives. Bound from <c>Epsilon:Store</c>.</summary>
public sealed class StoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Store";

    /// <summary>The database: <see cref="StoreProvider.Sqlite"/> on one machine, <see cref="StoreProvider.Postgres"/> for a fleet.</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>Path of the SQLite database file; builder and gateway on one machine share it.</summary>
    public string Path { get; set; } = "/var/lib/epsilon/epsilon.db";

    /// <summary>
    /// The PostgreSQL connection string (Npgsql's keywords), e.g. <c>Host=db;Database=epsilon;Username=epsilon;Password=...</c>;
    /// add <c>SSL Mode=VerifyFull</c> where the database is reached across a network.
    /// </summary>
    public string? ConnectionString { get; set; }
}
