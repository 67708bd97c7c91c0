using Epsilon.Core.Fleet;
using Epsilon.Core.Manifest;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Builder.Limits;

public sealed class FunctionCeilingsTests : IAsyncLifetime
{
    private static readonly Ceilings s_ceilings = new(MemoryBytes: 1L << 30, Cpu: 2, ContainersPerFunction: 10, MinWarm: 5,
        FunctionsPerRepository: 3, Timeout: TimeSpan.FromMinutes(15));

    private readonly string _directory = TempDirectory.Create("epsilon-ceilings");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private SqliteFunctionStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteFunctionStore(Options.Create(new StoreOptions { Path = Path.Combine(_directory, "epsilon.db") }), _time);
        await _store.InitializeAsync();
    }

    [Fact]
    public void Check_WithinEveryCeiling_FindsNothing()
    {
        var config = Config() with { MemoryBytes = 1L << 30, Cpu = 2, MaxContainers = 10, MinWarm = 5, Timeout = TimeSpan.FromMinutes(15) };
        Assert.Empty(FunctionCeilings.Check([new ManifestFunction("hello", config)], s_ceilings));
    }

    [Theory]
    [InlineData("memory", "2048 MiB is above the platform's ceiling of 1024 MiB (Epsilon:Limits:MaxMemoryBytes)")]
    [InlineData("cpu", "2.5 is above the platform's ceiling of 2 (Epsilon:Limits:MaxCpu)")]
    [InlineData("maxContainers", "11 is above the platform's ceiling of 10 (Epsilon:Limits:MaxContainersPerFunction)")]
    [InlineData("minWarm", "200 is above the platform's ceiling of 5 (Epsilon:Limits:MaxMinWarm)")]
    [InlineData("timeout", "3600 s is above the platform's ceiling of 900 s (Epsilon:Limits:MaxTimeout)")]
    public void Check_OverACeiling_NamesTheKeyWhatWasAskedAndTheSetting(string key, string message)
    {
        var config = key switch
        {
            "memory" => Config() with { MemoryBytes = 2L << 30 },
            "cpu" => Config() with { Cpu = 2.5 },
            "maxContainers" => Config() with { MaxContainers = 11 },
            "minWarm" => Config() with { MinWarm = 200, MaxContainers = 10 },
            _ => Config() with { Timeout = TimeSpan.FromHours(1) },
        };

        var error = Assert.Single(FunctionCeilings.Check([new ManifestFunction("hello", config)], s_ceilings));

        Assert.Equal($"functions.hello.{key}", error.Key);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Check_MoreFunctionsThanARepositoryMayDeclare_SaysHowMany()
    {
        var functions = Enumerable.Range(0, 4).Select(i => new ManifestFunction($"f{i}", Config())).ToList();

        var error = Assert.Single(FunctionCeilings.Check(functions, s_ceilings));

        Assert.Equal("functions", error.Key);
        Assert.Contains("declares 4 functions; the platform allows 3 per repository (Epsilon:Limits:MaxFunctionsPerRepository)", error.Message);
    }

    [Fact]
    public async Task Resolve_Unset_FollowsTheSmallestLiveGateway_AndIgnoresGoneOrDrainingOnes()
    {
        // Its heartbeats stopped five minutes ago.
        await RegisterAsync("gone", 1L << 30, 2, GatewayState.Active);
        _time.Advance(TimeSpan.FromMinutes(5));
        await RegisterAsync("big", 64L << 30, 200, GatewayState.Active);
        await RegisterAsync("small", 4L << 30, 16, GatewayState.Active);
        await RegisterAsync("draining", 1L << 30, 2, GatewayState.Draining);

        var ceilings = await Ceilings(new PlatformLimitsOptions()).ResolveAsync(default);

        Assert.Equal(4L << 30, ceilings.MemoryBytes);
        Assert.Equal(16, ceilings.ContainersPerFunction);
        Assert.Equal(Environment.ProcessorCount, ceilings.Cpu);
        Assert.Equal(5, ceilings.MinWarm);
    }

    [Fact]
    public async Task Resolve_Configured_WinsOverTheFleet()
    {
        await RegisterAsync("small", 4L << 30, 16, GatewayState.Active);

        var ceilings = await Ceilings(new PlatformLimitsOptions { MaxMemoryBytes = 512L << 20, MaxContainersPerFunction = 3, MaxCpu = 0.5 })
            .ResolveAsync(default);

        Assert.Equal((512L << 20, 3, 0.5), (ceilings.MemoryBytes, ceilings.ContainersPerFunction, ceilings.Cpu));
    }

    [Fact]
    public async Task Resolve_NoGateway_SizesFromThisVm()
    {
        var ceilings = await Ceilings(new PlatformLimitsOptions()).ResolveAsync(default);

        Assert.InRange(ceilings.MemoryBytes, 1, 10L << 30);
        Assert.True(ceilings.ContainersPerFunction >= 1);
    }

    [Fact]
    public void Validator_RefusesNonsense()
    {
        var result = new PlatformLimitsOptionsValidator().Validate(null, new PlatformLimitsOptions { MaxMemoryBytes = 0, MaxMinWarm = -1, MaxTimeout = TimeSpan.Zero });
        Assert.True(result.Failed);
        Assert.Equal(3, result.Failures!.Count());
    }

    private FunctionCeilings Ceilings(PlatformLimitsOptions options) =>
        new(Options.Create(options), _store, Options.Create(new FleetOptions()), _time);

    private Task RegisterAsync(string id, long memory, int containers, GatewayState state) =>
        _store.RegisterGatewayAsync(new GatewayMember
        {
            Id = id, Address = $"http://{id}:8080", MaxMemoryBytes = memory, MaxContainers = containers, State = state,
            StartedAt = _time.GetUtcNow(), HeartbeatAt = _time.GetUtcNow(),
        });

    private static FunctionConfig Config() => new() { Runtime = "node", HandlerFile = "index.js", HandlerExport = "hello" };

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_directory);
        return Task.CompletedTask;
    }
}
