using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>Versions, rollback, unchanged deploys, freed names and delete in the store, the same on every database.</summary>
public abstract partial class FunctionLifecycleStoreTests<TDatabase> : IDisposable
    where TDatabase : IStoreDatabase, new()
{
    private const string Shop = "https://github.com/acme/shop.git";
    private const string Blog = "https://github.com/acme/blog.git";

    private readonly TDatabase _database = new();

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ListVersionsAsync_ThreeDeploys_NewestFirstWithCommitStatusAndLive()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello");
        await DeployAsync(store, Shop, "c3", "hello", succeeded: false);

        var versions = await store.ListVersionsAsync("hello", includeDeleted: false);

        Assert.Equal([3, 2, 1], versions.Select(v => v.Version.Version));
        Assert.Equal(["c3", "c2", "c1"], versions.Select(v => v.Commit));
        Assert.Equal([VersionStatus.Failed, VersionStatus.Ready, VersionStatus.Ready], versions.Select(v => v.Version.Status));
        Assert.Equal([false, true, false], versions.Select(v => v.Live));
        Assert.Equal("sha256:hello-c1", versions[2].Version.SourceKey);
    }

    [Fact]
    public async Task RollbackAsync_NoVersion_GoesToTheNewestReadyBeforeLive_AndRaisesTheRevision()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello", succeeded: false);
        var revision = await DeployAsync(store, Shop, "c3", "hello");

        var result = await store.RollbackAsync("hello", null);

        Assert.Equal(new RollbackResult(RollbackOutcome.Done, 3, 1, revision + 1), result);
        Assert.Equal(1, Assert.Single(await store.ListLiveVersionsAsync()).Version);
        Assert.Equal(revision + 1, await ((IFleetStore)store).GetRevisionAsync());

        // A later deploy moves live forward again, past the rolled-back version.
        await DeployAsync(store, Shop, "c4", "hello");
        Assert.Equal(4, Assert.Single(await store.ListLiveVersionsAsync()).Version);
    }

    [Fact]
    public async Task RollbackAsync_Refusals_MoveNothing()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello", succeeded: false);
        var revision = await DeployAsync(store, Shop, "c3", "hello");

        Assert.Equal(RollbackOutcome.FunctionNotFound, (await store.RollbackAsync("nobody", null)).Outcome);
        Assert.Equal(RollbackOutcome.VersionNotFound, (await store.RollbackAsync("hello", 9)).Outcome);
        Assert.Equal(RollbackOutcome.VersionNotReady, (await store.RollbackAsync("hello", 2)).Outcome);
        Assert.Equal(RollbackOutcome.AlreadyLive, (await store.RollbackAsync("hello", 3)).Outcome);
        Assert.Equal(RollbackOutcome.Done, (await store.RollbackAsync("hello", 1)).Outcome);
        Assert.Equal(RollbackOutcome.NoPreviousVersion, (await store.RollbackAsync("hello", null)).Outcome);
        Assert.Equal(1, Assert.Single(await store.ListLiveVersionsAsync()).Version);
        Assert.Equal(revision + 1, await ((IFleetStore)store).GetRevisionAsync());
    }

    [Fact]
    public async Task CompleteUnchangedDeploymentAsync_RecordsTheVersionsItFound_AndMakesNone()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var revision = await DeployAsync(store, Shop, "c1", "hello");
        var again = await store.CreateDeploymentAsync(Shop, null);

        await store.CompleteUnchangedDeploymentAsync(again.Id, "c1", "log", [new DeployedFunction("hello", 1, Image("hello", 1)) { Unchanged = true }]);

        var stored = await store.GetDeploymentAsync(again.Id);
        Assert.Equal(DeploymentStatus.Ready, stored!.Status);
        var function = Assert.Single(stored.Functions);
        Assert.Equal(("hello", 1, true), (function.Name, function.Version, function.Unchanged));
        Assert.Single(await store.ListVersionsAsync("hello", includeDeleted: false));
        Assert.Equal(revision, await ((IFleetStore)store).GetRevisionAsync());
    }

    [Fact]
    public async Task CompleteDeploymentAsync_FailedFirstDeploy_FreesItsNamesButNotAnotherDeploysOrAnOwnedOne()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        await DeployAsync(store, Shop, "c1", "owned");
        await DeployAsync(store, Shop, "c2", "owned", "fresh");
        await DeployAsync(store, Shop, "c3", "owned", "newcomer", succeeded: false);

        Assert.NotNull(await store.GetFunctionAsync("owned"));
        Assert.NotNull(await store.GetFunctionAsync("fresh"));
        Assert.Null(await store.GetFunctionAsync("newcomer"));

        // Another repository takes the freed name; its versions go on from the failed one.
        await DeployAsync(store, Blog, "b1", "newcomer");
        var taken = await store.GetFunctionAsync("newcomer");
        Assert.Equal((Blog, 2), (taken!.Repository, taken.Live!.Version));
        await Assert.ThrowsAsync<FunctionNameTakenException>(() => DeployAsync(store, Blog, "b2", "owned"));
    }

    [Fact]
    public async Task DeleteFunctionAsync_DropsItFromTheTable_FreesTheName_KeepsItsHistory()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        await DeployAsync(store, Shop, "c1", "hello", "other");
        var revision = await DeployAsync(store, Shop, "c2", "hello");

        var deleted = await store.DeleteFunctionAsync("hello");

        Assert.Equal(new[] { Image("hello", 1), Image("hello", 2) }, deleted!.Images);
        Assert.Equal(revision + 1, deleted.Revision);
        Assert.Equal(["other"], (await store.ListLiveVersionsAsync()).Select(v => v.Function));
        Assert.Null(await store.GetFunctionAsync("hello"));
        Assert.Empty(await store.ListVersionsAsync("hello", includeDeleted: false));
        var history = await store.ListVersionsAsync("hello", includeDeleted: true);
        Assert.Equal([2, 1], history.Select(v => v.Version.Version));
        Assert.All(history, v => Assert.NotNull(v.Version.DeletedAt));
        Assert.All(history, v => Assert.False(v.Live));
        Assert.Null(await store.DeleteFunctionAsync("hello"));
        Assert.Equal(RollbackOutcome.FunctionNotFound, (await store.RollbackAsync("hello", 1)).Outcome);

        // Another repository takes the name; numbering goes on, and the deleted versions cannot be made live.
        await DeployAsync(store, Blog, "b1", "hello");
        Assert.Equal((Blog, 3), ((await store.GetFunctionAsync("hello"))!.Repository, (await store.GetFunctionAsync("hello"))!.Live!.Version));
        Assert.Equal([3], (await store.ListVersionsAsync("hello", includeDeleted: false)).Select(v => v.Version.Version));
        Assert.Equal(RollbackOutcome.VersionNotReady, (await store.RollbackAsync("hello", 2)).Outcome);
        Assert.Equal(RollbackOutcome.NoPreviousVersion, (await store.RollbackAsync("hello", null)).Outcome);
    }

    /// <summary>One deploy of <paramref name="functions"/> from <paramref name="repository"/>, ending as told; its revision.</summary>
    private static async Task<long> DeployAsync(IFunctionStore store, string repository, string commit, params string[] functions) =>
        await DeployAsync(store, repository, commit, functions, succeeded: true);

    private static async Task<long> DeployAsync(IFunctionStore store, string repository, string commit, string function, bool succeeded) =>
        await DeployAsync(store, repository, commit, [function], succeeded);

    private static async Task<long> DeployAsync(IFunctionStore store, string repository, string commit, string function, string other, bool succeeded) =>
        await DeployAsync(store, repository, commit, [function, other], succeeded);

    private static async Task<long> DeployAsync(IFunctionStore store, string repository, string commit, string[] functions, bool succeeded)
    {
        var deployment = await store.CreateDeploymentAsync(repository, null);
        await store.ReserveVersionsAsync(deployment.Id, repository,
            functions.Select(f => KeyValuePair.Create(f, new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = f })).ToList(),
            Image, functions.ToDictionary(f => f, f => $"sha256:{f}-{commit}"));
        return await store.CompleteDeploymentAsync(deployment.Id, succeeded, commit, succeeded ? null : "failed", "");
    }

    private static string Image(string function, int version) => $"registry.test/{function}:v{version}";
}

/// <summary>The lifecycle store tests on SQLite.</summary>
public sealed class SqliteFunctionLifecycleStoreTests : FunctionLifecycleStoreTests<SqliteStoreDatabase>;

/// <summary>The lifecycle store tests on PostgreSQL.</summary>
public sealed class PostgresFunctionLifecycleStoreTests : FunctionLifecycleStoreTests<PostgresStoreDatabase>;
