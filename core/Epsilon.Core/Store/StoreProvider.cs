namespace Epsilon.Core.Store;

/// <summary>Which database holds the store.</summary>
public enum StoreProvider
{
    /// <summary>One SQLite file: builder and gateway on one machine (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by a fleet of gateways and the builder.</summary>
    Postgres,
}
