namespace Epsilon.Core.Store;

/// <summary>A real, empty database for one test class instance, removed afterwards.</summary>
public interface IStoreDatabase : IDisposable
{
    /// <summary>A new store instance on the database, as a separate process (builder or gateway) would open it.</summary>
    internal Task<IFunctionStore> OpenStoreAsync(TimeProvider? timeProvider = null);

    /// <summary>Reads one value straight from the database, for state the store's API does not expose.</summary>
    Task<T?> QueryScalarAsync<T>(string sql, params (string Name, object Value)[] parameters);

    /// <summary>Runs a statement straight on the database.</summary>
    Task ExecuteAsync(string sql);
}
