using Epsilon.Core.Contracts;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.Gateway.Fleet;

namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>
/// The fleet's behaviour on this machine, through the balancer: sticky routing, spillover and its shrinking back, a
/// deploy that answers once every gateway serves it, a drain under load and a gateway killed under load.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class FleetTests(FleetFixture fleet) : IAsyncLifetime
{
    /// <summary>Each test starts with the whole fleet up, whatever the one before did to it.</summary>
    public Task InitializeAsync() => fleet.EnsureAllRunningAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CallsThroughTheBalancer_LandOnTheFunctionsHomeGatewaysContainers()
    {
        await fleet.DeployAsync(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  sticky:\n    handler: index.js:sticky\n",
            ["index.js"] = Functions.Text("sticky", "home"),
        });
        var home = HomeOf("sticky");

        for (var i = 0; i < 30; i++)
        {
            using var response = await fleet.Balancer.Http.GetAsync("/sticky/");
            Assert.Equal("home", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, await FleetFixture.ContainersAsync(home.Id, "sticky"));
        foreach (var other in fleet.Gateways.Where(g => g != home))
        {
            Assert.Equal(0, await FleetFixture.ContainersAsync(other.Id, "sticky"));
        }
    }

    [Fact]
    public async Task SteadyLoadPastTheHomesLimit_SpillsToTheNextGateway_AndShrinksBackWhenItFalls()
    {
        // One call at a time per container, one container per gateway: the fourth concurrent caller needs a second gateway.
        await fleet.DeployAsync(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  spill:\n    handler: index.js:spill\n    concurrency: 1\n    maxContainers: 1\n    idleTimeout: 3s\n",
            ["index.js"] = Functions.Slow("spill"),
        });
        var ranking = RendezvousRanking.Rank("spill", fleet.Gateways.Select(g => new FleetPeer(g.Id, new Uri(g.Url), 30)).ToList());
        var home = fleet.Gateways.Single(g => g.Id == ranking[0].Id);
        var second = fleet.Gateways.Single(g => g.Id == ranking[1].Id);

        await using (var load = new SteadyLoad(fleet.Balancer.Http, ["/spill/?ms=300"], workers: 2, TimeSpan.Zero))
        {
            await load.WaitForAsync(20, TimeSpan.FromSeconds(60));
            Assert.Empty(load.Failures);
        }

        Assert.Equal(1, await FleetFixture.ContainersAsync(home.Id, "spill"));
        Assert.Equal(1, await FleetFixture.ContainersAsync(second.Id, "spill"));

        // Load falls to one caller: the home alone serves it, and the spilled container idles out.
        await using (var light = new SteadyLoad(fleet.Balancer.Http, ["/spill/?ms=50"], workers: 1, TimeSpan.FromMilliseconds(100)))
        {
            var watch = Stopwatch.StartNew();
            while (await FleetFixture.ContainersAsync(second.Id, "spill") > 0)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the spilled container was never reaped:\n" + fleet.Logs);
                await Task.Delay(250);
            }

            await light.WaitForAsync(10, TimeSpan.FromSeconds(30));
            Assert.Empty(light.Failures);
        }

        Assert.Equal(1, await FleetFixture.ContainersAsync(home.Id, "spill"));
        Assert.Equal(0, await FleetFixture.ContainersAsync(second.Id, "spill"));
    }

    [Fact]
    public async Task Deploy_AnswersOnlyWhenEveryGatewayServesTheNewVersion()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  rollout:\n    handler: index.js:rollout\n",
            ["index.js"] = Functions.Text("rollout", "one"),
        });
        await fleet.DeployAsync(repository);
        foreach (var gateway in fleet.Gateways)
        {
            Assert.Equal("one", await CallHereAsync(gateway, "/rollout/"));
        }

        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("rollout", "two") }, "new code");
        var deployed = await fleet.DeployAsync(repository);

        var rollout = deployed.GetProperty("rollout");
        Assert.True(rollout.GetProperty("complete").GetBoolean(), deployed.ToString());
        Assert.Equal(fleet.Gateways.Select(g => g.Id).Order(), rollout.GetProperty("gateways").EnumerateArray().Select(g => g.GetString()!).Order());
        // At once, on every gateway's own table (the home mark keeps each call where it lands): the new code, never the old.
        foreach (var gateway in fleet.Gateways)
        {
            Assert.Equal("two", await CallHereAsync(gateway, "/rollout/"));
        }
    }

    [Fact]
    public async Task Deploy_OfAFunctionWhoseStoredRowOutgrowsTheDriversReadBuffer_ReachesEveryGateway_WhichGoesOnAnswering()
    {
        // 32 KB of env makes the version's row four times Npgsql's 8 KB read buffer. Read with SequentialAccess, its
        // column came with a blocking socket read on the gateway's socket thread, and the gateway stopped answering.
        var big = new string('x', 32 * 1024);
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  bigrow:\n    handler: index.js:bigrow\n    env:\n      BIG: {big}\n",
            ["index.js"] = "module.exports.bigrow = { definition: async (req, res) => { res.type('text/plain').send(String(process.env.BIG.length)); } };\n",
        });

        var deployed = await fleet.DeployAsync(repository);

        Assert.True(deployed.GetProperty("rollout").GetProperty("complete").GetBoolean(), $"{deployed}\n{fleet.Logs}");
        foreach (var gateway in fleet.Gateways)
        {
            Assert.Equal(big.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), await CallHereAsync(gateway, "/bigrow/"));
            using var health = await gateway.Http.GetAsync("/_epsilon/health");
            Assert.True(health.IsSuccessStatusCode, gateway.Id);
        }
    }

    [Fact]
    public async Task SigtermOfAGatewayUnderLoad_FailsNoCall_AndItLeavesNoContainerBehind()
    {
        var functions = await DeployManyAsync("drain", 10);
        var victim = fleet.Gateways[1];
        await using (var load = new SteadyLoad(fleet.Balancer.Http, functions.Select(f => $"/{f}/").ToList(), workers: 16, TimeSpan.Zero))
        {
            await load.WaitForAsync(500, TimeSpan.FromSeconds(120));
            var exit = await victim.StopAsync(TimeSpan.FromSeconds(60));
            await load.WaitForAsync(500, TimeSpan.FromSeconds(60));

            Assert.True(exit == 0, $"exit code {exit}:\n{victim.Output}");
            Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} failed of {load.Succeeded}: {string.Join("\n", load.Failures.Take(10))}");
        }

        Assert.Equal(0, await FleetFixture.ContainersAsync(victim.Id));
        await victim.StartAsync();
        await fleet.WaitUntilBalancedAsync();
    }

    [Fact]
    public async Task KillOfAHomeGatewayUnderLoad_FailsOnlyCallsInFlight_ItsFunctionsMoveWithinTheHeartbeatTimeout_AndItsContainersGoOnRestart()
    {
        var functions = await DeployManyAsync("chaos", 10);
        var victim = fleet.Gateways[2];
        var homed = functions.Where(f => HomeOf(f) == victim).ToList();
        Assert.NotEmpty(homed);
        long inFlightAtKill;
        await using (var load = new SteadyLoad(fleet.Balancer.Http, functions.Select(f => $"/{f}/").ToList(), workers: 6, TimeSpan.FromMilliseconds(5)))
        {
            await load.WaitForAsync(300, TimeSpan.FromSeconds(120), () => fleet.Logs);
            Assert.True(await FleetFixture.ContainersAsync(victim.Id) > 0);
            inFlightAtKill = load.InFlight;
            await victim.KillAsync();
            var failedAtKill = load.Failures.Count;

            // Past the heartbeat timeout (1.5 s) and the balancer's checks, every function answers from the others.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var before = load.Failures.Count;
            await load.WaitForAsync(300, TimeSpan.FromSeconds(60), () => fleet.Logs);
            Assert.True(load.Failures.Count == before, $"calls failed after the heartbeat timeout: {string.Join("\n", load.Failures.Skip(before).Take(10))}\n{fleet.Logs}");
            Assert.True(before <= inFlightAtKill + failedAtKill,
                $"{before} failed, {inFlightAtKill} were in flight at the kill: {string.Join("\n", load.Failures.Take(10))}\n{fleet.Logs}");
        }

        foreach (var function in homed)
        {
            using var response = await fleet.Balancer.Http.GetAsync($"/{function}/");
            Assert.True(response.IsSuccessStatusCode, $"{function}: {(int)response.StatusCode}");
        }

        Assert.True(await FleetFixture.ContainersAsync(victim.Id) > 0, "the killed gateway's containers are still there until it restarts");
        await victim.StartAsync();
        Assert.Equal(0, await FleetFixture.ContainersAsync(victim.Id));
        await fleet.WaitUntilBalancedAsync();
    }

    [Fact]
    public async Task HashingBalancer_MarksCallsHome_SoTheyAreServedWithoutAHop()
    {
        var functions = await DeployManyAsync("hashed", 6);
        await using var hashing = await LoadBalancer.StartAsync("hash", fleet.Gateways);
        await WaitForAsync(hashing, "/_epsilon/health");
        var before = await ForwardsAsync(functions);

        foreach (var function in functions)
        {
            for (var i = 0; i < 5; i++)
            {
                using var response = await hashing.Http.GetAsync($"/{function}/");
                Assert.True(response.IsSuccessStatusCode, $"{function}: {(int)response.StatusCode}\n{hashing.Output}");
            }
        }

        Assert.Equal(before, await ForwardsAsync(functions));
    }

    [Fact]
    public async Task LocalRouting_ServesEveryCallWhereItLands_EvenAFunctionHomedElsewhere()
    {
        var functions = await DeployManyAsync("local", 4);
        await using var local = fleet.NewGateway($"{fleet.RunId}-local", "--Epsilon:Gateway:Fleet:Routing=Local");
        await local.StartAsync();
        var members = fleet.Gateways.Append(local).Select(g => new FleetPeer(g.Id, new Uri(g.Url), 30)).ToList();
        var function = functions.First(f => RendezvousRanking.Rank(f, members)[0].Id != local.Id);

        for (var i = 0; i < 3; i++)
        {
            using var response = await local.Http.GetAsync($"/{function}/");
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}\n{local.Output}");
        }

        Assert.Equal(1, await FleetFixture.ContainersAsync(local.Id, function));
        var metrics = await local.Http.GetFromJsonAsync<JsonElement>("/_epsilon/metrics");
        Assert.Equal(0, metrics.GetProperty("functions").GetProperty(function).GetProperty("forwards").GetInt64());
    }

    [Fact]
    public async Task ForwardedCalls_KeepTheirSplitAliasAndHost_SoTheHomeServesWhatTheEntryChose()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  fleet-canary:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.TextAndPath("handler", "one"),
        });
        await fleet.DeployAsync(repository);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.TextAndPath("handler", "two") }, "two");
        await fleet.DeployAsync(repository);
        using (var split = await fleet.Builder.PutAsJsonAsync("/functions/fleet-canary/aliases/live", new { weights = new Dictionary<string, int> { ["1"] = 50, ["2"] = 50 } }))
        {
            Assert.True(split.IsSuccessStatusCode, await split.Content.ReadAsStringAsync());
        }

        var home = HomeOf("fleet-canary");
        var entry = fleet.Gateways.First(g => g != home);
        for (var i = 0; i < 40; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/fleet-canary/");
            request.Headers.Add(Epsilon.Gateway.Invocation.CanarySplit.CallerHeader, $"caller-{i}");
            using var response = await entry.Http.SendAsync(request);
            var expected = Epsilon.Gateway.Invocation.CanarySplit.Bucket("fleet-canary", $"caller-{i}") < 50 ? "one /" : "two /";
            Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        }

        using (var byHost = new HttpRequestMessage(HttpMethod.Get, "/items/7"))
        {
            byHost.Headers.Host = $"v1.fleet-canary.{PlatformFixture.BaseDomain}";
            using var response = await entry.Http.SendAsync(byHost);
            Assert.Equal("one /items/7", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal("two /a", await entry.Http.GetStringAsync("/fleet-canary@v2/a"));
        // All of it served at the home: the entry only forwarded.
        Assert.Equal(0, await FleetFixture.ContainersAsync(entry.Id, "fleet-canary"));
        Assert.True(await FleetFixture.ContainersAsync(home.Id, "fleet-canary") >= 2);
    }

    private GatewayNode HomeOf(string function)
    {
        var ranking = RendezvousRanking.Rank(function, fleet.Gateways.Select(g => new FleetPeer(g.Id, new Uri(g.Url), 30)).ToList());
        return fleet.Gateways.Single(g => g.Id == ranking[0].Id);
    }

    private static async Task<string> CallHereAsync(GatewayNode gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(FleetHeaders.Home, "1");
        using var response = await gateway.Http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<List<string>> DeployManyAsync(string prefix, int count)
    {
        var names = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToList();
        var files = new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n" + string.Concat(names.Select(n => $"  {n}:\n    handler: index.js:{n.Replace('-', '_')}\n")),
            ["index.js"] = string.Join('\n', names.Select(n => Functions.Text(n.Replace('-', '_'), n))),
        };
        await fleet.DeployAsync(files);
        return names;
    }

    private async Task<long> ForwardsAsync(IReadOnlyList<string> functions)
    {
        long forwards = 0;
        foreach (var gateway in fleet.Gateways.Where(g => g.Running))
        {
            var metrics = await gateway.Http.GetFromJsonAsync<JsonElement>("/_epsilon/metrics");
            foreach (var function in functions)
            {
                if (metrics.GetProperty("functions").TryGetProperty(function, out var totals))
                {
                    forwards += totals.GetProperty("forwards").GetInt64();
                }
            }
        }

        return forwards;
    }

    private static async Task WaitForAsync(LoadBalancer balancer, string path)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await balancer.Http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), balancer.Output);
            await Task.Delay(100);
        }
    }
}
