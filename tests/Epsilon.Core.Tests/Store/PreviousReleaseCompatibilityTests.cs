using Epsilon.Core.Model;
using Epsilon.Core.Store.PreviousRelease;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Store;

/// <summary>
/// A rolling upgrade on one SQLite store: the release before migrations made the database; this release adopts it, and
/// the previous release's code keeps reading and writing it after the migration.
/// </summary>
public sealed class PreviousReleaseCompatibilityTests : IDisposable
{
    private const string Shop = "https://github.com/acme/shop.git";
    private readonly SqliteStoreDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousRelease_IsAdoptedWithItsData()
    {
        var previous = await OpenPreviousAsync();
        var deployment = await DeployAsync(previous, "hello");

        var current = await ((IStoreDatabase)_database).OpenStoreAsync();

        Assert.Equal(DeploymentStatus.Ready, (await current.GetDeploymentAsync(deployment))!.Status);
        Assert.Equal(1, Assert.Single(await current.ListLiveVersionsAsync()).Version);
    }

    [Fact]
    public async Task PreviousRelease_KeepsWorkingOnTheMigratedSchema()
    {
        var current = await ((IStoreDatabase)_database).OpenStoreAsync();
        await DeployAsync(current, "hello");

        var previous = await OpenPreviousAsync();
        var deployment = await DeployAsync(previous, "hello");

        Assert.Equal(2, Assert.Single(await previous.ListLiveVersionsAsync()).Version);
        Assert.Equal(2, Assert.Single(await current.ListLiveVersionsAsync()).Version);
        Assert.Equal(DeploymentStatus.Ready, (await current.GetDeploymentAsync(deployment))!.Status);
        Assert.Equal("hello", Assert.Single(await previous.ListFunctionsAsync()).Name);
    }

    private async Task<PreviousReleaseSqliteStore> OpenPreviousAsync()
    {
        var store = new PreviousReleaseSqliteStore(Options.Create(new StoreOptions { Path = _database.DatabasePath }), TimeProvider.System);
        await store.InitializeAsync();
        return store;
    }

    private static async Task<string> DeployAsync(IFunctionStore store, string function)
    {
        var deployment = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(deployment.Id, Shop, [Function(function)], Image);
        await store.CompleteDeploymentAsync(deployment.Id, succeeded: true, "c", null, "");
        return deployment.Id;
    }

    // The same steps through the previous release's own class, which does not implement today's interface.
    private static async Task<string> DeployAsync(PreviousReleaseSqliteStore store, string function)
    {
        var deployment = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(deployment.Id, Shop, [Function(function)], Image);
        await store.CompleteDeploymentAsync(deployment.Id, succeeded: true, "c", null, "");
        return deployment.Id;
    }

    private static KeyValuePair<string, FunctionConfig> Function(string name) =>
        KeyValuePair.Create(name, new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = name });

    private static string Image(string function, int version) => $"registry.test/{function}:v{version}";
}
