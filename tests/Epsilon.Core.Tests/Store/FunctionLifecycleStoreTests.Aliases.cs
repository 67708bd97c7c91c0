using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>Aliases, canary splits and the versions an image collector must keep, the same on every database.</summary>
public abstract partial class FunctionLifecycleStoreTests<TDatabase>
{
    [Fact]
    public async Task SetAliasAsync_WeightedLive_KeepsTheSplitAndMovesLiveToTheHeaviest()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var aliases = (IAliasStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        var revision = await DeployAsync(store, Shop, "c2", "hello");

        var result = await aliases.SetAliasAsync("hello", AliasName.Live, new Dictionary<int, int> { [1] = 90, [2] = 10 });

        Assert.Equal(new AliasResult(AliasOutcome.Done, null, revision + 1), result);
        // The previous release's gateways read live_version alone: they serve the heaviest version meanwhile.
        Assert.Equal(1, Assert.Single(await store.ListLiveVersionsAsync()).Version);
        var live = Assert.Single(await aliases.ListAliasesAsync("hello"));
        Assert.Equal(AliasName.Live, live.Name);
        Assert.Equal([KeyValuePair.Create(1, 90), KeyValuePair.Create(2, 10)], live.Weights);
    }

    [Fact]
    public async Task SetAliasAsync_NamedAliasAndSingleLive_AreListedAndMoveLive()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var aliases = (IAliasStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello");

        Assert.Equal(AliasOutcome.Done, (await aliases.SetAliasAsync("hello", "beta", new Dictionary<int, int> { [2] = 100 })).Outcome);
        Assert.Equal(AliasOutcome.Done, (await aliases.SetAliasAsync("hello", AliasName.Live, new Dictionary<int, int> { [1] = 100 })).Outcome);

        Assert.Equal(1, Assert.Single(await store.ListLiveVersionsAsync()).Version);
        var beta = Assert.Single(await aliases.ListAliasesAsync(null));
        Assert.Equal(("hello", "beta", 2), (beta.Function, beta.Name, Assert.Single(beta.Weights).Key));
    }

    [Fact]
    public async Task SetAliasAsync_Refusals_ChangeNothing()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var aliases = (IAliasStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello", succeeded: false);
        var revision = await ((IFleetStore)store).GetRevisionAsync();

        Assert.Equal(new AliasResult(AliasOutcome.FunctionNotFound, null, 0),
            await aliases.SetAliasAsync("nope", "beta", new Dictionary<int, int> { [1] = 100 }));
        Assert.Equal(new AliasResult(AliasOutcome.VersionNotFound, 9, 0),
            await aliases.SetAliasAsync("hello", "beta", new Dictionary<int, int> { [1] = 50, [9] = 50 }));
        Assert.Equal(new AliasResult(AliasOutcome.VersionNotReady, 2, 0),
            await aliases.SetAliasAsync("hello", AliasName.Live, new Dictionary<int, int> { [1] = 50, [2] = 50 }));
        Assert.Equal(new AliasResult(AliasOutcome.AliasNotFound, null, 0), await aliases.DeleteAliasAsync("hello", "beta"));

        Assert.Empty(await aliases.ListAliasesAsync("hello"));
        Assert.Equal(revision, await ((IFleetStore)store).GetRevisionAsync());
    }

    [Fact]
    public async Task WeightedLive_EndsWhenADeployOrARollbackMovesLive()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var aliases = (IAliasStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello");
        var split = new Dictionary<int, int> { [1] = 90, [2] = 10 };
        await aliases.SetAliasAsync("hello", AliasName.Live, split);
        await aliases.SetAliasAsync("hello", "beta", new Dictionary<int, int> { [2] = 100 });

        await DeployAsync(store, Shop, "c3", "hello");

        Assert.Equal(3, Assert.Single(await store.ListLiveVersionsAsync()).Version);
        Assert.Equal(["beta"], (await aliases.ListAliasesAsync("hello")).Select(a => a.Name));

        await aliases.SetAliasAsync("hello", AliasName.Live, split);
        await store.RollbackAsync("hello", 3);

        Assert.Equal(["beta"], (await aliases.ListAliasesAsync("hello")).Select(a => a.Name));
    }

    [Fact]
    public async Task DeleteFunctionAsync_RemovesItsAliases_AndDeleteAliasAsyncRemovesOne()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var aliases = (IAliasStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        await aliases.SetAliasAsync("hello", "beta", new Dictionary<int, int> { [1] = 100 });
        await aliases.SetAliasAsync("hello", "gamma", new Dictionary<int, int> { [1] = 100 });

        Assert.Equal(AliasOutcome.Done, (await aliases.DeleteAliasAsync("hello", "gamma")).Outcome);
        Assert.Equal(["beta"], (await aliases.ListAliasesAsync("hello")).Select(a => a.Name));

        await store.DeleteFunctionAsync("hello");
        Assert.Equal(0, await _database.QueryScalarAsync<long>("SELECT COUNT(*) FROM aliases"));
        Assert.Null(await aliases.GetVersionAsync("hello", 1));
    }

    [Fact]
    public async Task ReserveVersionsAsync_ANameClaimedAgain_StartsWithoutTheAliasesAnOlderBuilderLeft()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        await DeployAsync(store, Shop, "c1", "hello");
        await store.DeleteFunctionAsync("hello");
        // What a builder of the previous release leaves: it deletes functions without knowing of aliases.
        await _database.ExecuteAsync("INSERT INTO aliases (function, name, weights, updated_at) VALUES ('hello', 'beta', '{\"1\":100}', '2030-01-01T00:00:00Z')");

        await DeployAsync(store, Blog, "c2", "hello");

        Assert.Empty(await ((IAliasStore)store).ListAliasesAsync("hello"));
    }

    [Fact]
    public async Task GetVersionAsync_OnlyReadyVersionsOfAnExistingFunction()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var aliases = (IAliasStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello", succeeded: false);

        Assert.Equal("registry.test/hello:v1", (await aliases.GetVersionAsync("hello", 1))?.Image);
        Assert.Null(await aliases.GetVersionAsync("hello", 2));
        Assert.Null(await aliases.GetVersionAsync("hello", 3));
    }

    [Fact]
    public async Task ListKeptVersionsAsync_LiveAliasTargetsAndTheRollbackWindow()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var aliases = (IAliasStore)store;
        for (var i = 1; i <= 9; i++)
        {
            await DeployAsync(store, Shop, $"c{i}", "hello", succeeded: i != 6);
        }

        // Live 9; window of 3 before it: 8, 7, 5 (6 failed); an alias reaches 2, a split live reaches 9 and 1.
        await aliases.SetAliasAsync("hello", "old", new Dictionary<int, int> { [2] = 100 });
        await aliases.SetAliasAsync("hello", AliasName.Live, new Dictionary<int, int> { [9] = 95, [1] = 5 });

        Assert.Equal([1, 2, 5, 7, 8, 9], await aliases.ListKeptVersionsAsync("hello", rollbackWindow: 3));
        Assert.Equal([1, 2, 9], await aliases.ListKeptVersionsAsync("hello", rollbackWindow: 0));
        Assert.Empty(await aliases.ListKeptVersionsAsync("nope", rollbackWindow: 5));
    }
}
