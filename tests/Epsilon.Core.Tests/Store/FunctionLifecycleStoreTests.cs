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

    [Fact]
    public async Task ChangeEnvAsync_MakesANewLiveVersionFromTheLiveOne_SameImageAndSource_ByADeploymentNamingTheChange()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var config = (IFunctionConfigStore)store;
        var revision = await DeployAsync(store, Shop, "c1", "hello");

        var result = await config.ChangeEnvAsync("hello", new Dictionary<string, string> { ["GREETING"] = "hi", ["B"] = "2" }, ["A"]);

        Assert.Equal((ConfigChangeOutcome.Done, 1, 2, revision + 1), (result.Outcome, result.From, result.To, result.Revision));
        Assert.Equal("env set B, GREETING; env unset A", result.Change);
        var live = Assert.Single(await store.ListLiveVersionsAsync());
        Assert.Equal((2, Image("hello", 1), "sha256:hello-c1", VersionStatus.Ready, result.DeploymentId),
            (live.Version, live.Image, live.SourceKey, live.Status, live.DeploymentId));
        Assert.Equal(new Dictionary<string, string> { ["B"] = "2", ["GREETING"] = "hi" }, live.Config.Env);
        var versions = await store.ListVersionsAsync("hello", includeDeleted: false);
        Assert.Equal([("env set B, GREETING; env unset A", "c1", true), (null, "c1", false)], versions.Select(v => (v.Change, v.Commit, v.Live)));
        var deployment = await store.GetDeploymentAsync(result.DeploymentId!);
        Assert.Equal((DeploymentStatus.Ready, Shop, 2), (deployment!.Status, deployment.Repository, Assert.Single(deployment.Functions).Version));
        Assert.DoesNotContain("hi", deployment.Log, StringComparison.Ordinal);
        Assert.Equal([("A", null), ("B", "2"), ("GREETING", "hi")], (await config.ListEnvOverridesAsync("hello")).Select(o => (o.Name, o.Value)));
    }

    [Fact]
    public async Task ReserveVersionsAsync_AfterEnvAndSecretChanges_MergesOverridesOverTheManifestAndNamesTheSecrets()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var config = (IFunctionConfigStore)store;
        var manifest = new FunctionConfig
        {
            Runtime = "node", HandlerFile = "index.js", HandlerExport = "h", Env = new Dictionary<string, string> { ["KEEP"] = "m", ["DROP"] = "m", ["OVER"] = "m" },
        };
        await DeployConfigAsync(store, manifest);
        await config.ChangeEnvAsync("hello", new Dictionary<string, string> { ["OVER"] = "o", ["NEW"] = "n" }, ["DROP"]);
        await config.SetSecretAsync("hello", "TOKEN", new Secrets.EncryptedSecret([1, 2], [3], [4]));

        var version = await DeployConfigAsync(store, manifest);

        Assert.Equal(new Dictionary<string, string> { ["KEEP"] = "m", ["OVER"] = "o", ["NEW"] = "n" }, version.Config.Env);
        Assert.Equal(["TOKEN"], version.Config.Secrets);
        Assert.Equal(version.Version, Assert.Single(await store.ListLiveVersionsAsync()).Version);
    }

    [Fact]
    public async Task Secrets_SetListRemove_EachANewVersion_ValuesOnlyForGateways_AndGoneWithTheFunction()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var config = (IFunctionConfigStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c1", "other");
        var value = new Secrets.EncryptedSecret([9, 8, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [5, 5]);

        Assert.Equal(2, (await config.SetSecretAsync("hello", "TOKEN", value)).To);
        Assert.Equal(3, (await config.SetSecretAsync("hello", "API_KEY", value)).To);

        Assert.Equal(["API_KEY", "TOKEN"], (await config.ListSecretsAsync("hello")).Select(s => s.Name));
        Assert.Equal(["API_KEY", "TOKEN"], (await store.GetFunctionAsync("hello"))!.Live!.Config.Secrets);
        var stored = await config.ListStoredSecretsAsync();
        Assert.Equal([("hello", "API_KEY"), ("hello", "TOKEN")], stored.Select(s => (s.Function, s.Name)).Order());
        Assert.Equal(value.Ciphertext, stored[0].Value.Ciphertext);
        Assert.Equal(value.Nonce, stored[0].Value.Nonce);
        Assert.Equal(value.Tag, stored[0].Value.Tag);

        var removed = await config.RemoveSecretAsync("hello", "API_KEY");
        Assert.Equal((ConfigChangeOutcome.Done, 4, "secret removed API_KEY"), (removed.Outcome, removed.To, removed.Change));
        Assert.Equal(["TOKEN"], (await store.GetFunctionAsync("hello"))!.Live!.Config.Secrets);
        Assert.Equal(ConfigChangeOutcome.SecretNotFound, (await config.RemoveSecretAsync("hello", "API_KEY")).Outcome);

        // The versions share one image, which a delete removes once; the function's secrets and overrides go with it.
        await config.ChangeEnvAsync("hello", new Dictionary<string, string> { ["A"] = "1" }, []);
        var deleted = await store.DeleteFunctionAsync("hello");
        Assert.Equal([Image("hello", 1)], deleted!.Images);
        Assert.Empty(await config.ListStoredSecretsAsync());
        Assert.Empty(await config.ListSecretsAsync("hello"));
        Assert.Empty(await config.ListEnvOverridesAsync("hello"));
    }

    [Fact]
    public async Task ConfigChanges_Refusals_ChangeNothing()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var config = (IFunctionConfigStore)store;
        var set = new Dictionary<string, string> { ["A"] = "1" };
        Assert.Equal(ConfigChangeOutcome.FunctionNotFound, (await config.ChangeEnvAsync("nobody", set, [])).Outcome);
        await DeployAsync(store, Shop, "c1", "failed", succeeded: false);
        Assert.Equal(ConfigChangeOutcome.FunctionNotFound, (await config.ChangeEnvAsync("failed", set, [])).Outcome);

        var revision = await DeployAsync(store, Shop, "c1", "hello");
        var building = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(building.Id, Shop,
            [KeyValuePair.Create("hello", new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = "h" })], Image);

        Assert.Equal(ConfigChangeOutcome.DeploymentRunning, (await config.ChangeEnvAsync("hello", set, [])).Outcome);
        Assert.Equal(ConfigChangeOutcome.DeploymentRunning, (await config.SetSecretAsync("hello", "S", new Secrets.EncryptedSecret([1], [1], [1]))).Outcome);
        Assert.Empty(await config.ListEnvOverridesAsync("hello"));
        Assert.Empty(await config.ListSecretsAsync("hello"));
        Assert.Equal(revision, await ((IFleetStore)store).GetRevisionAsync());
    }

    private static async Task<FunctionVersion> DeployConfigAsync(IFunctionStore store, FunctionConfig config)
    {
        var deployment = await store.CreateDeploymentAsync(Shop, null);
        var version = Assert.Single(await store.ReserveVersionsAsync(deployment.Id, Shop, [KeyValuePair.Create("hello", config)], Image));
        await store.CompleteDeploymentAsync(deployment.Id, true, "c", null, "");
        return version;
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
