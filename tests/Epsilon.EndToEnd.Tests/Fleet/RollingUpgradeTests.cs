using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.Core.Contracts;
using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>
/// A rolling upgrade of a fleet: gateways of the previous release (scripts/previous-release.sh names it) behind HAProxy
/// on one PostgreSQL store, which this release's builder migrates and deploys to; then, under steady load, one by one a
/// gateway of this release joins and one of the previous release drains, and a new version is deployed while both
/// releases serve. Its own fleet, not the fleet tests': those run on this release alone.
/// </summary>
public sealed class RollingUpgradeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Size = 3;
    private const string Redeployed = "up-1";
    private static readonly string[] Names = ["up-1", "up-2", "up-3", "up-4"];

    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-upgrade-").FullName;
    private readonly string _runId = "upgrade-" + Guid.NewGuid().ToString("N")[..6];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private PostgresStoreDatabase? _database;
    private WebApplication? _builder;
    private HttpClient? _builderHttp;
    private LoadBalancer? _balancer;
    private List<GatewayNode> _previous = [];
    private List<GatewayNode> _current = [];
    private bool _secondVersionLive;
    private bool _disposed;

    private IEnumerable<GatewayNode> Running => _previous.Concat(_current).Where(g => g.Running);

    private LoadBalancer Balancer => _balancer!;

    public async Task InitializeAsync()
    {
        try
        {
            await StartFleetAsync();
        }
        catch
        {
            // xUnit does not dispose a test class whose start failed: stop what did start, or it runs on past the test.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartFleetAsync()
    {
        var previousDll = await PreviousRelease.GatewayDllAsync();
        _database = new PostgresStoreDatabase();
        _previous = Enumerable.Range(1, Size)
            .Select(i => new GatewayNode($"{_runId}-previous-{i}", FleetFixture.GatewayArguments(_database.ConnectionString), previousDll)).ToList();
        _current = Enumerable.Range(1, Size)
            .Select(i => new GatewayNode($"{_runId}-current-{i}", FleetFixture.GatewayArguments(_database.ConnectionString))).ToList();

        // The balancer names every gateway from the start, as a target group lists instances that are not up yet: one
        // is sent calls once its health checks pass.
        _balancer = await LoadBalancer.StartAsync("roundrobin", [.. _previous, .. _current]);
        // The fleet as it ran before the upgrade: the previous release made the store's schema.
        await Task.WhenAll(_previous.SkipLast(1).Select(g => g.StartAsync()));
        // This release's migrations run here, under gateways of the previous release.
        _builder = await FleetFixture.StartBuilderAsync(_database.ConnectionString, Path.Combine(_root, "builds"), Balancer.Url);
        _builderHttp = TestAdmin.Authorize(new HttpClient { BaseAddress = new Uri(_builder.Urls.First()), Timeout = TimeSpan.FromMinutes(5) });
        // One of the previous release starts on the migrated store, as one an autoscaling group launches from the old
        // template during the upgrade: it must accept a schema ahead of it and register in it.
        await _previous[^1].StartAsync();
        Step("this release's builder migrated the store between the previous release's gateways' starts");

        // HAProxy takes a server it has not checked yet for up: until the checks of the ones not started fail, a call
        // could be retried onto nothing but them.
        for (var i = Size + 1; i <= 2 * Size; i++)
        {
            await Balancer.WaitForServerAsync(i, "DOWN");
        }

        await WaitUntilBalancedAsync();
        Step("balancer ready");
    }

    [Fact]
    public async Task GatewaysOfThePreviousRelease_ReplacedOneByOneUnderLoad_FailNoCall_AndLeaveNothingBehind()
    {
        using var repository = TestRepository.Create(Files(redeployed: "v1"));
        await DeployAsync(repository);
        Step("first version deployed");

        await using (var load = new SteadyLoad(Balancer.Http, Names.Select(n => $"/{n}/").ToList(), workers: 6, TimeSpan.FromMilliseconds(10), Expect))
        {
            await load.WaitForAsync(200, TimeSpan.FromSeconds(120), () => Logs);
            Step("load under way");
            for (var i = 0; i < Size; i++)
            {
                var joining = _current[i];
                await joining.StartAsync();
                Step($"{joining.Id} started");
                await Balancer.WaitForServerAsync(Size + i + 1, "UP");
                await WaitUntilEveryGatewayListsAsync(joining);
                Step($"{joining.Id} in the balancer and every gateway's view");
                await load.WaitForAsync(100, TimeSpan.FromSeconds(60), () => Logs);

                if (i == 1)
                {
                    // Two gateways of each release: a deploy answers once all four serve it, and then each one does.
                    repository.Commit(Files(redeployed: "v2"), "second version");
                    var deployed = await DeployAsync(repository);
                    Volatile.Write(ref _secondVersionLive, true);
                    Step("second version deployed");
                    Assert.Equal(Running.Select(g => g.Id).Order(),
                        deployed.GetProperty("rollout").GetProperty("gateways").EnumerateArray().Select(g => g.GetString()!).Order());
                    foreach (var gateway in Running)
                    {
                        Assert.Equal($"{Redeployed} v2", await CallHereAsync(gateway, $"/{Redeployed}/"));
                    }
                }

                var leaving = _previous[i];
                Step($"{leaving.Id} sent SIGTERM");
                var exit = await leaving.StopAsync(TimeSpan.FromSeconds(60));
                Step($"{leaving.Id} drained and exited");
                Assert.True(exit == 0, $"{leaving.Id} exited with {exit}:\n{leaving.Output}");
                // Event 5004: the drain waited out its timeout instead of seeing its calls end, and every upgrade would wait too.
                Assert.DoesNotContain("FleetMembership[5004]", leaving.Output, StringComparison.Ordinal);
                Assert.Empty(await FleetFixture.AllContainersAsync(leaving.Id));
                await load.WaitForAsync(100, TimeSpan.FromSeconds(60), () => Logs);
            }

            await load.WaitForAsync(200, TimeSpan.FromSeconds(60), () => Logs);
            Assert.True(load.Failures.Count == 0,
                $"{load.Failures.Count} failed of {load.Succeeded}: {string.Join("\n", load.Failures.Take(10))}\n{Logs}");
            Step($"{load.Succeeded} calls, none failed");
        }

        Assert.All(_previous, g => Assert.Equal(0, g.ExitCode));
        Assert.Empty(await FleetFixture.AllContainersAsync($"{_runId}-previous-"));
        // The gateways of the previous release deregistered as they drained: this release's are the whole fleet.
        await WaitUntilAsync(async () =>
        {
            foreach (var gateway in _current)
            {
                var peers = await PeersAsync(gateway);
                if (!peers.Order().SequenceEqual(_current.Select(g => g.Id).Order()))
                {
                    return false;
                }
            }

            return true;
        }, "the gateways of this release never saw only each other");
        foreach (var gateway in _current)
        {
            foreach (var name in Names)
            {
                Assert.Equal(name == Redeployed ? $"{name} v2" : $"{name} v1", await CallHereAsync(gateway, $"/{name}/"));
            }
        }

        Step("done");
    }

    /// <summary>What took how long, in the test's output: the time a rolling upgrade takes is worth knowing.</summary>
    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {what}");

    /// <summary>The right answers for a call to <paramref name="path"/> starting now: once the deploy of v2 answered, only v2.</summary>
    private Func<string, bool> Expect(string path)
    {
        var name = path.Trim('/');
        if (name != Redeployed)
        {
            return body => body == $"{name} v1";
        }

        return Volatile.Read(ref _secondVersionLive)
            ? body => body == $"{name} v2"
            : body => body == $"{name} v1" || body == $"{name} v2";
    }

    private static Dictionary<string, string> Files(string redeployed) => new()
    {
        ["epsilon.yaml"] = "runtime: node\nfunctions:\n" + string.Concat(Names.Select(n => $"  {n}:\n    handler: index.js:{n.Replace('-', '_')}\n")),
        ["index.js"] = string.Join('\n', Names.Select(n => Functions.Text(n.Replace('-', '_'), $"{n} {(n == Redeployed ? redeployed : "v1")}"))),
    };

    private async Task<JsonElement> DeployAsync(TestRepository repository)
    {
        using var response = await _builderHttp!.PostAsJsonAsync("/deployments", new { repository = repository.Path });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, $"deploy answered {(int)response.StatusCode}: {body}");
        Assert.True(body.GetProperty("rollout").GetProperty("complete").GetBoolean(), $"{body}\n{Logs}");
        return body;
    }

    /// <summary>Served by <paramref name="gateway"/> itself (marked home), not by the function's home elsewhere.</summary>
    private static async Task<string> CallHereAsync(GatewayNode gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(FleetHeaders.Home, "1");
        using var response = await gateway.Http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<IReadOnlyList<string>> PeersAsync(GatewayNode gateway)
    {
        var status = await gateway.Http.GetFromJsonAsync<JsonElement>("/_epsilon/fleet");
        return status.GetProperty("peers").EnumerateArray().Select(p => p.GetString()!).ToList();
    }

    /// <summary>Until every running gateway, of either release, routes over <paramref name="joined"/>.</summary>
    private Task WaitUntilEveryGatewayListsAsync(GatewayNode joined) => WaitUntilAsync(async () =>
    {
        foreach (var gateway in Running)
        {
            if (!(await PeersAsync(gateway)).Contains(joined.Id))
            {
                return false;
            }
        }

        return true;
    }, $"not every gateway saw {joined.Id} join");

    /// <summary>Until every running gateway answers through the balancer.</summary>
    private async Task WaitUntilBalancedAsync()
    {
        var seen = new HashSet<string>();
        await WaitUntilAsync(async () =>
        {
            try
            {
                using var response = await Balancer.Http.GetAsync("/_epsilon/fleet");
                if (response.IsSuccessStatusCode)
                {
                    seen.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
                }
            }
            catch (HttpRequestException)
            {
            }

            return Running.All(g => seen.Contains(g.Id));
        }, "the balancer did not reach every gateway");
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{failure}:\n{Logs}");
            await Task.Delay(50);
        }
    }

    private string Logs => string.Join("\n", _previous.Concat(_current).Select(g => $"--- {g.Id} ---\n{string.Join('\n', g.Output.Split('\n').TakeLast(40))}"))
        + $"\n--- haproxy ---\n{string.Join('\n', (_balancer?.Output ?? "").Split('\n').TakeLast(40))}";

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Task.WhenAll(_previous.Concat(_current).Select(g => g.DisposeAsync().AsTask()));
        if (_balancer is not null)
        {
            await _balancer.DisposeAsync();
        }

        if (_builder is not null)
        {
            await _builder.StopAsync();
            await _builder.DisposeAsync();
        }

        _builderHttp?.Dispose();
        // Nothing of this run may outlive it, even after a failure half-way through.
        foreach (var leftover in await FleetFixture.AllContainersAsync(_runId))
        {
            using var remove = Process.Start("docker", ["rm", "-f", leftover]);
            await remove.WaitForExitAsync();
        }

        _database?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
