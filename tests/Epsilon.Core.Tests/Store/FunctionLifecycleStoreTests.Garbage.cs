using Epsilon.Core.Model;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Core.Store;

/// <summary>The garbage collector's store: which versions lose their images, what then refuses them, old logs emptied.</summary>
public abstract partial class FunctionLifecycleStoreTests<TDatabase>
{
    [Fact]
    public async Task MarkCollectedAsync_CollectsWhatNothingKeeps_NeverAnImageAKeptVersionShares_AndRefusesItsVersionsAfter()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var garbage = (IGarbageStore)store;
        var aliases = (IAliasStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello", succeeded: false);
        await DeployAsync(store, Shop, "c3", "hello");
        // v4: an env change of v3, on v3's image.
        await ((IFunctionConfigStore)store).ChangeEnvAsync("hello", new Dictionary<string, string> { ["A"] = "1" }, []);
        foreach (var commit in new[] { "c5", "c6", "c7", "c8" })
        {
            await DeployAsync(store, Shop, commit, "hello");
        }

        Assert.Equal(AliasOutcome.Done, (await aliases.SetAliasAsync("hello", "beta", new Dictionary<int, int> { [4] = 100 })).Outcome);

        // Kept: v8 (live, newest), v7 (newest two, rollback window of one), v4 (beta) and v3 (v4's image).
        var collected = await garbage.MarkCollectedAsync("hello", keepNewest: 2, rollbackWindow: 1);

        Assert.Equal([1, 2, 5, 6], collected.Versions);
        Assert.Equal([Image("hello", 1), Image("hello", 2), Image("hello", 5), Image("hello", 6)], collected.Images);
        var versions = await store.ListVersionsAsync("hello", includeDeleted: false);
        Assert.Equal([8, 7, 6, 5, 4, 3, 2, 1], versions.Select(v => v.Version.Version));
        Assert.Equal([false, false, true, true, false, false, true, true], versions.Select(v => v.Version.ImageRemovedAt is not null));
        Assert.Equal(collected.Images, await garbage.ListRemovedImagesAsync("hello"));
        Assert.Empty((await garbage.MarkCollectedAsync("hello", keepNewest: 2, rollbackWindow: 1)).Versions);

        Assert.Equal(new RollbackResult(RollbackOutcome.ImageCollected, 8, 5, 0), await store.RollbackAsync("hello", 5));
        Assert.Equal(new AliasResult(AliasOutcome.ImageCollected, 6, 0), await aliases.SetAliasAsync("hello", "beta", new Dictionary<int, int> { [6] = 100 }));
        Assert.Null(await aliases.GetVersionAsync("hello", 1));
        Assert.Equal(RollbackOutcome.Done, (await store.RollbackAsync("hello", 3)).Outcome);
        Assert.Equal(3, Assert.Single(await store.ListLiveVersionsAsync()).Version);
        // A rollback with no version skips the collected ones: v3's previous ready version was v1, whose image is gone.
        Assert.Equal(RollbackOutcome.NoPreviousVersion, (await store.RollbackAsync("hello", null)).Outcome);
    }

    [Fact]
    public async Task ReleaseCollectedAsync_MakesAVersionWhoseImageStayedReachableAgain()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var garbage = (IGarbageStore)store;
        await DeployAsync(store, Shop, "c1", "hello");
        await DeployAsync(store, Shop, "c2", "hello");
        await DeployAsync(store, Shop, "c3", "hello");
        Assert.Equal(["hello"], await garbage.ListFunctionsWithImagesAsync());
        Assert.Equal([1, 2], (await garbage.MarkCollectedAsync("hello", keepNewest: 1, rollbackWindow: 0)).Versions);

        await garbage.ReleaseCollectedAsync("hello", [Image("hello", 2)]);

        Assert.Equal([Image("hello", 1)], await garbage.ListRemovedImagesAsync("hello"));
        Assert.Equal(RollbackOutcome.Done, (await store.RollbackAsync("hello", 2)).Outcome);
        Assert.Equal(RollbackOutcome.ImageCollected, (await store.RollbackAsync("hello", 1)).Outcome);
    }

    [Fact]
    public async Task EmptyDeploymentLogsBeforeAsync_EmptiesOnlyFinishedLogsOlderThanTheCutoff_KeepingTheDeployment()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var store = await ((IStoreDatabase)_database).OpenStoreAsync(clock);
        var garbage = (IGarbageStore)store;
        var old = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(old.Id, Shop, [KeyValuePair.Create("hello", new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = "h" })], Image);
        await store.CompleteDeploymentAsync(old.Id, succeeded: false, "c1", "the build failed", "step 1\nstep 2\n");
        clock.Advance(TimeSpan.FromDays(2));
        var running = await store.CreateDeploymentAsync(Shop, null);
        var recent = await store.CreateDeploymentAsync(Shop, null);
        await store.CompleteDeploymentAsync(recent.Id, succeeded: true, "c2", null, "recent log");

        Assert.Equal(1, await garbage.EmptyDeploymentLogsBeforeAsync(clock.GetUtcNow() - TimeSpan.FromDays(1)));

        var emptied = await store.GetDeploymentAsync(old.Id);
        Assert.Equal(("", DeploymentStatus.Failed, "the build failed", "c1", 1), (emptied!.Log, emptied.Status, emptied.Error, emptied.Commit, emptied.Functions.Count));
        Assert.Equal("recent log", (await store.GetDeploymentAsync(recent.Id))!.Log);
        Assert.Equal(DeploymentStatus.Building, (await store.GetDeploymentAsync(running.Id))!.Status);
        Assert.Equal(0, await garbage.EmptyDeploymentLogsBeforeAsync(clock.GetUtcNow() - TimeSpan.FromDays(1)));
    }
}
