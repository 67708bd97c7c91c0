using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>The store's behaviour, the same on every database: each database runs these through its own subclass.</summary>
public abstract class FunctionStoreTests<TDatabase> : IDisposable
    where TDatabase : IStoreDatabase, new()
{
    private const string Shop = "https://github.com/acme/shop.git";
    private const string Blog = "https://github.com/acme/blog.git";

    private readonly TDatabase _directory = new();

    private protected TDatabase Database => _directory;

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task CreateDeploymentAsync_NewDeployment_IsStoredAsBuilding()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();

        var created = await store.CreateDeploymentAsync(Shop, "main");

        Assert.StartsWith("d-", created.Id);
        Assert.Equal(DeploymentStatus.Building, created.Status);
        var stored = await store.GetDeploymentAsync(created.Id);
        Assert.NotNull(stored);
        Assert.Equal(created.Id, stored.Id);
        Assert.Equal(Shop, stored.Repository);
        Assert.Equal("main", stored.Ref);
        Assert.Equal(DeploymentStatus.Building, stored.Status);
        Assert.Null(stored.Commit);
        Assert.Null(stored.Error);
        Assert.Null(stored.FinishedAt);
        Assert.Empty(stored.Functions);
        Assert.Equal(created.CreatedAt, stored.CreatedAt);
    }

    [Fact]
    public async Task CreateDeploymentAsync_TwoDeployments_GetDistinctIds()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();

        var first = await store.CreateDeploymentAsync(Shop, null);
        var second = await store.CreateDeploymentAsync(Shop, null);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Null((await store.GetDeploymentAsync(first.Id))!.Ref);
    }

    [Fact]
    public async Task GetDeploymentAsync_UnknownId_ReturnsNull()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();

        Assert.Null(await store.GetDeploymentAsync("d-doesnotexist"));
    }

    [Fact]
    public async Task ReserveVersionsAsync_SameFunctionTwice_AllocatesV1ThenV2()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var first = await store.CreateDeploymentAsync(Shop, null);
        var second = await store.CreateDeploymentAsync(Shop, null);

        var v1 = Assert.Single(await store.ReserveVersionsAsync(first.Id, Shop, [Function("hello")], Image));
        var v2 = Assert.Single(await store.ReserveVersionsAsync(second.Id, Shop, [Function("hello")], Image));

        Assert.Equal(1, v1.Version);
        Assert.Equal("registry.test/hello:v1", v1.Image);
        Assert.Equal(VersionStatus.Building, v1.Status);
        Assert.Equal(first.Id, v1.DeploymentId);
        Assert.Equal(2, v2.Version);
        Assert.Equal("registry.test/hello:v2", v2.Image);
        Assert.Equal(second.Id, v2.DeploymentId);
    }

    [Fact]
    public async Task ReserveVersionsAsync_ConcurrentFromTwoInstances_AllocatesDistinctVersions()
    {
        var first = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var second = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var deployments = new List<(IFunctionStore Store, string Id)>();
        for (var i = 0; i < 8; i++)
        {
            var store = i % 2 == 0 ? first : second;
            deployments.Add((store, (await store.CreateDeploymentAsync(Shop, null)).Id));
        }

        var reserved = await Task.WhenAll(deployments.Select(d =>
            Task.Run(() => d.Store.ReserveVersionsAsync(d.Id, Shop, [Function("hello")], Image))));

        Assert.Equal(Enumerable.Range(1, 8), reserved.Select(r => Assert.Single(r).Version).Order());
    }

    [Fact]
    public async Task ReserveVersionsAsync_TwoRepositoriesRacingForOneName_ExactlyOneWins()
    {
        var first = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var second = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var shopDeployment = await first.CreateDeploymentAsync(Shop, null);
        var blogDeployment = await second.CreateDeploymentAsync(Blog, null);

        var shop = Task.Run(() => first.ReserveVersionsAsync(shopDeployment.Id, Shop, [Function("hello")], Image));
        var blog = Task.Run(() => second.ReserveVersionsAsync(blogDeployment.Id, Blog, [Function("hello")], Image));
        var outcomes = await Task.WhenAll(Outcome(shop), Outcome(blog));

        Assert.Single(outcomes, o => o is null);
        Assert.IsType<FunctionNameTakenException>(Assert.Single(outcomes, o => o is not null));
        var owner = (await first.GetFunctionAsync("hello"))!.Repository;
        Assert.Equal(outcomes[0] is null ? Shop : Blog, owner);

        static async Task<Exception?> Outcome(Task task)
        {
            try
            {
                await task;
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }
    }

    [Fact]
    public async Task ReserveVersionsAsync_SeveralFunctions_NumbersEachFunctionOnItsOwn()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var first = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(first.Id, Shop, [Function("hello")], Image);
        var second = await store.CreateDeploymentAsync(Shop, null);

        var versions = await store.ReserveVersionsAsync(second.Id, Shop, [Function("hello"), Function("cart")], Image);

        Assert.Equal([("hello", 2), ("cart", 1)], versions.Select(v => (v.Function, v.Version)));
    }

    [Fact]
    public async Task ReserveVersionsAsync_NameOwnedByAnotherRepository_ThrowsFunctionNameTaken()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var shopDeployment = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(shopDeployment.Id, Shop, [Function("hello")], Image);
        var blogDeployment = await store.CreateDeploymentAsync(Blog, null);

        var exception = await Assert.ThrowsAsync<FunctionNameTakenException>(
            () => store.ReserveVersionsAsync(blogDeployment.Id, Blog, [Function("hello")], Image));

        Assert.Equal("hello", exception.Function);
        Assert.Contains(Shop, exception.Message);
        Assert.Equal(Shop, (await store.GetFunctionAsync("hello"))!.Repository);
    }

    [Fact]
    public async Task ReserveVersionsAsync_BatchWithFreeAndTakenName_ClaimsNone()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var shopDeployment = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(shopDeployment.Id, Shop, [Function("taken")], Image);
        var blogDeployment = await store.CreateDeploymentAsync(Blog, null);

        // The free name comes first, so it has been written before the taken one is found.
        await Assert.ThrowsAsync<FunctionNameTakenException>(
            () => store.ReserveVersionsAsync(blogDeployment.Id, Blog, [Function("free"), Function("taken")], Image));

        Assert.Null(await store.GetFunctionAsync("free"));
        Assert.Empty((await store.GetDeploymentAsync(blogDeployment.Id))!.Functions);
        Assert.Equal(0, await _directory.QueryScalarAsync<long>("SELECT COUNT(*) FROM versions WHERE function = 'free'"));

        // And a third repository can still claim it, from version 1.
        var otherDeployment = await store.CreateDeploymentAsync("https://github.com/acme/other.git", null);
        var claimed = Assert.Single(await store.ReserveVersionsAsync(otherDeployment.Id, "https://github.com/acme/other.git", [Function("free")], Image));
        Assert.Equal(1, claimed.Version);
    }

    [Fact]
    public async Task ReserveVersionsAsync_BeforeCompletion_NothingIsLive()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var deployment = await store.CreateDeploymentAsync(Shop, null);

        await store.ReserveVersionsAsync(deployment.Id, Shop, [Function("hello")], Image);

        Assert.Empty(await store.ListLiveVersionsAsync());
        Assert.Empty(await store.ListFunctionsAsync());
        var function = await store.GetFunctionAsync("hello");
        Assert.NotNull(function);
        Assert.Equal(Shop, function.Repository);
        Assert.Null(function.Live);
    }

    [Fact]
    public async Task CompleteDeploymentAsync_Success_MovesLiveForEveryFunctionWithConfigRoundTripped()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var config = new FunctionConfig
        {
            Runtime = "node",
            HandlerFile = "src/hello.js",
            HandlerExport = "greet",
            Timeout = TimeSpan.FromMilliseconds(2500),
            MemoryBytes = 512L * 1024 * 1024,
            Cpu = 0.25,
            Concurrency = 3,
            MaxContainers = 7,
            MinWarm = 2,
            IdleTimeout = TimeSpan.FromMinutes(12),
            Env = new Dictionary<string, string> { ["API_URL"] = "https://example.test", ["LogLevel"] = "debug", ["EMPTY"] = "" },
            Public = false,
        };
        var deployment = await store.CreateDeploymentAsync(Shop, "v1.0");
        await store.ReserveVersionsAsync(deployment.Id, Shop, [KeyValuePair.Create("hello", config), Function("cart")], Image);

        await store.CompleteDeploymentAsync(deployment.Id, succeeded: true, "abc123", null, "built\nok");

        var live = (await store.ListLiveVersionsAsync()).OrderBy(v => v.Function).ToList();
        Assert.Equal([("cart", 1), ("hello", 1)], live.Select(v => (v.Function, v.Version)));
        Assert.All(live, v => Assert.Equal(VersionStatus.Ready, v.Status));
        Assert.All(live, v => Assert.Equal(deployment.Id, v.DeploymentId));
        var hello = live[1];
        Assert.Equal("registry.test/hello:v1", hello.Image);
        AssertSameConfig(config, hello.Config);

        var functions = await store.ListFunctionsAsync();
        Assert.Equal(["cart", "hello"], functions.Select(f => f.Name));
        Assert.All(functions, f => Assert.Equal(Shop, f.Repository));
        AssertSameConfig(config, functions[1].Live!.Config);

        var single = await store.GetFunctionAsync("hello");
        Assert.NotNull(single?.Live);
        Assert.Equal(1, single.Live.Version);
        Assert.Equal(VersionStatus.Ready, single.Live.Status);
        AssertSameConfig(config, single.Live.Config);

        var stored = await store.GetDeploymentAsync(deployment.Id);
        Assert.NotNull(stored);
        Assert.Equal(DeploymentStatus.Ready, stored.Status);
        Assert.Equal("abc123", stored.Commit);
        Assert.Null(stored.Error);
        Assert.NotNull(stored.FinishedAt);
    }

    [Fact]
    public async Task CompleteDeploymentAsync_Failure_MovesNothingAndMarksVersionsFailed()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var good = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(good.Id, Shop, [Function("hello")], Image);
        await store.CompleteDeploymentAsync(good.Id, succeeded: true, "c1", null, "");
        var bad = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(bad.Id, Shop, [Function("hello"), Function("cart")], Image);

        await store.CompleteDeploymentAsync(bad.Id, succeeded: false, "c2", "build of cart failed", "log text");

        var live = Assert.Single(await store.ListLiveVersionsAsync());
        Assert.Equal(("hello", 1), (live.Function, live.Version));
        // cart's only version failed: its first deploy freed the name again.
        Assert.Null(await store.GetFunctionAsync("cart"));
        Assert.Equal(["hello"], (await store.ListFunctionsAsync()).Select(f => f.Name));
        Assert.Equal("Failed", await _directory.QueryScalarAsync<string>(
            "SELECT status FROM versions WHERE function = 'hello' AND version = 2"));
        Assert.Equal("Failed", await _directory.QueryScalarAsync<string>(
            "SELECT status FROM versions WHERE function = 'cart' AND version = 1"));
        Assert.Equal("Ready", await _directory.QueryScalarAsync<string>(
            "SELECT status FROM versions WHERE function = 'hello' AND version = 1"));

        var stored = await store.GetDeploymentAsync(bad.Id);
        Assert.NotNull(stored);
        Assert.Equal(DeploymentStatus.Failed, stored.Status);
        Assert.Equal("build of cart failed", stored.Error);
        Assert.Equal("c2", stored.Commit);
        Assert.Equal("log text", stored.Log);
        Assert.NotNull(stored.FinishedAt);
    }

    [Fact]
    public async Task CompleteDeploymentAsync_OlderDeploymentFinishingLast_DoesNotMoveLiveBackwards()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var older = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(older.Id, Shop, [Function("hello"), Function("cart")], Image);
        var newer = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(newer.Id, Shop, [Function("hello")], Image);

        await store.CompleteDeploymentAsync(newer.Id, succeeded: true, "new", null, "");
        await store.CompleteDeploymentAsync(older.Id, succeeded: true, "old", null, "");

        var live = (await store.ListLiveVersionsAsync()).ToDictionary(v => v.Function, v => v.Version);
        Assert.Equal(2, live["hello"]);

        // A function the newer deployment did not touch still takes the older deployment's version.
        Assert.Equal(1, live["cart"]);
    }

    [Fact]
    public async Task FailInterruptedDeploymentsAsync_BuildingDeployments_AreMarkedFailed()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var finished = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(finished.Id, Shop, [Function("hello")], Image);
        await store.CompleteDeploymentAsync(finished.Id, succeeded: true, "c1", null, "");
        var interrupted = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(interrupted.Id, Shop, [Function("hello")], Image);
        var notStarted = await store.CreateDeploymentAsync(Blog, null);

        var count = await store.FailInterruptedDeploymentsAsync();

        Assert.Equal(2, count);
        foreach (var id in new[] { interrupted.Id, notStarted.Id })
        {
            var deployment = await store.GetDeploymentAsync(id);
            Assert.NotNull(deployment);
            Assert.Equal(DeploymentStatus.Failed, deployment.Status);
            Assert.False(string.IsNullOrWhiteSpace(deployment.Error));
            Assert.NotNull(deployment.FinishedAt);
        }

        Assert.Equal(DeploymentStatus.Ready, (await store.GetDeploymentAsync(finished.Id))!.Status);
        Assert.Equal("Failed", await _directory.QueryScalarAsync<string>(
            "SELECT status FROM versions WHERE function = 'hello' AND version = 2"));
        Assert.Equal(1, Assert.Single(await store.ListLiveVersionsAsync()).Version);
        Assert.Equal(0, await store.FailInterruptedDeploymentsAsync());
    }

    [Fact]
    public async Task GetDeploymentAsync_CompletedDeployment_ReturnsFunctionsAndLog()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var deployment = await store.CreateDeploymentAsync(Shop, "feature/x");
        await store.ReserveVersionsAsync(deployment.Id, Shop, [Function("zeta"), Function("alpha")], Image);
        const string log = "fetching\nbuilding alpha\nbuilding zeta\n";

        await store.CompleteDeploymentAsync(deployment.Id, succeeded: true, "0123456789abcdef", null, log);

        var stored = await store.GetDeploymentAsync(deployment.Id);
        Assert.NotNull(stored);
        Assert.Equal(log, stored.Log);
        Assert.Equal("feature/x", stored.Ref);
        Assert.Equal(
            [new DeployedFunction("alpha", 1, "registry.test/alpha:v1"), new DeployedFunction("zeta", 1, "registry.test/zeta:v1")],
            stored.Functions);
    }

    [Fact]
    public async Task TwoInstancesOnOneFile_SeeEachOthersWrites()
    {
        var builder = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var gateway = await ((IStoreDatabase)_directory).OpenStoreAsync();
        Assert.Empty(await gateway.ListLiveVersionsAsync());

        var first = await builder.CreateDeploymentAsync(Shop, null);
        await builder.ReserveVersionsAsync(first.Id, Shop, [Function("hello")], Image);
        await builder.CompleteDeploymentAsync(first.Id, succeeded: true, "c1", null, "");

        Assert.Equal(1, Assert.Single(await gateway.ListLiveVersionsAsync()).Version);

        // And the other way: a deployment written by the second instance is seen, and numbered after, by the first.
        var second = await gateway.CreateDeploymentAsync(Shop, null);
        await gateway.ReserveVersionsAsync(second.Id, Shop, [Function("hello")], Image);
        await gateway.CompleteDeploymentAsync(second.Id, succeeded: true, "c2", null, "");

        Assert.Equal(2, Assert.Single(await builder.ListLiveVersionsAsync()).Version);
        Assert.Equal("c2", (await builder.GetDeploymentAsync(second.Id))!.Commit);
    }

    [Fact]
    public async Task InitializeAsync_RunTwiceOnExistingFile_KeepsData()
    {
        var store = await ((IStoreDatabase)_directory).OpenStoreAsync();
        var deployment = await store.CreateDeploymentAsync(Shop, null);

        var reopened = await ((IStoreDatabase)_directory).OpenStoreAsync();

        Assert.NotNull(await reopened.GetDeploymentAsync(deployment.Id));
    }

    private static KeyValuePair<string, FunctionConfig> Function(string name) =>
        KeyValuePair.Create(name, new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = name });

    private static string Image(string function, int version) => $"registry.test/{function}:v{version}";

    private static void AssertSameConfig(FunctionConfig expected, FunctionConfig actual)
    {
        // Env is a dictionary, which record equality compares by reference.
        Assert.Equal(expected with { Env = actual.Env }, actual);
        Assert.Equal(expected.Env.OrderBy(e => e.Key), actual.Env.OrderBy(e => e.Key));
    }

    [Fact]
    public async Task Tokens_AreFoundByHashOnly_Listed_AndRevoked()
    {
        var tokens = (IApiTokenStore)await ((IStoreDatabase)_directory).OpenStoreAsync();
        var secret = Auth.TokenSecret.Create();
        var created = await tokens.CreateTokenAsync("ci", Auth.TokenScope.Deploy, [Shop], Auth.TokenSecret.Hash(secret));

        var found = await tokens.FindTokenAsync(Auth.TokenSecret.Hash(secret));
        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Id);
        Assert.Equal(Auth.TokenScope.Deploy, found.Scope);
        Assert.Equal([Shop], found.Repositories);
        Assert.Equal(created.CreatedAt, found.CreatedAt);
        Assert.Null(await tokens.FindTokenAsync(Auth.TokenSecret.Hash(secret + "x")));
        // Only the hash is kept.
        Assert.Equal(0L, await Database.QueryScalarAsync<long>("SELECT COUNT(*) FROM api_tokens WHERE token_hash = @secret", ("secret", secret)));

        Assert.True(await tokens.RevokeTokenAsync(created.Id));
        Assert.False(await tokens.RevokeTokenAsync(created.Id));
        Assert.NotNull((await tokens.FindTokenAsync(Auth.TokenSecret.Hash(secret)))!.RevokedAt);
        Assert.False((await tokens.FindTokenAsync(Auth.TokenSecret.Hash(secret)))!.Allows(Auth.TokenScope.Read));
        Assert.Single(await tokens.ListTokensAsync());
    }

    [Fact]
    public async Task FunctionKeys_AreListedPerFunction_AndOnlyValidOnesReachGateways()
    {
        var keys = (IFunctionKeyStore)await ((IStoreDatabase)_directory).OpenStoreAsync();
        var first = await keys.CreateFunctionKeyAsync("shop", "frontend", Auth.TokenSecret.Hash("one"));
        var second = await keys.CreateFunctionKeyAsync("shop", "mobile", Auth.TokenSecret.Hash("two"));
        await keys.CreateFunctionKeyAsync("blog", "default", Auth.TokenSecret.Hash("three"));

        Assert.Equal(["frontend", "mobile"], (await keys.ListFunctionKeysAsync("shop")).Select(k => k.Name));
        Assert.False(await keys.RevokeFunctionKeyAsync("blog", first.Id));
        Assert.True(await keys.RevokeFunctionKeyAsync("shop", first.Id));
        Assert.NotNull((await keys.ListFunctionKeysAsync("shop")).Single(k => k.Id == first.Id).RevokedAt);

        var valid = await keys.ListValidKeyHashesAsync();
        Assert.Equal(2, valid.Count);
        Assert.Contains(("shop", Auth.TokenSecret.Hash("two")), valid);
        Assert.DoesNotContain(valid, v => v.Hash == Auth.TokenSecret.Hash("one"));
        Assert.Equal("shop", second.Function);
    }

    [Fact]
    public async Task UpsertAdminTokenAsync_KeepsOneTokenOfThatName_WithTheLatestHash()
    {
        var tokens = (IApiTokenStore)await ((IStoreDatabase)_directory).OpenStoreAsync();
        var first = await tokens.UpsertAdminTokenAsync("bootstrap", Auth.TokenSecret.Hash("first-secret"));
        var again = await tokens.UpsertAdminTokenAsync("bootstrap", Auth.TokenSecret.Hash("first-secret"));
        var changed = await tokens.UpsertAdminTokenAsync("bootstrap", Auth.TokenSecret.Hash("second-secret"));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Id, changed.Id);
        Assert.Null(await tokens.FindTokenAsync(Auth.TokenSecret.Hash("first-secret")));
        Assert.Equal(Auth.TokenScope.Admin, (await tokens.FindTokenAsync(Auth.TokenSecret.Hash("second-secret")))!.Scope);
        Assert.Single(await tokens.ListTokensAsync());
    }
}

/// <summary>The store tests on SQLite.</summary>
public sealed class SqliteFunctionStoreTests : FunctionStoreTests<SqliteStoreDatabase>;

/// <summary>The store tests on PostgreSQL.</summary>
public sealed class PostgresFunctionStoreTests : FunctionStoreTests<PostgresStoreDatabase>;
