using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using Epsilon.Bench;
using Epsilon.Builder;
using Epsilon.Core.Docker;

// Epsilon against the same images and containers used bare, side by side in one run on this machine: deploy times,
// cold starts, thaws from the kept (paused) pool, a burst of first calls, density and the warm path; and a fleet of three
// gateways behind HAProxy, sticky routing against local serving. Prints one JSON
// object and exits 1 when a target is missed. Needs scripts/setup.sh and wrk.
var options = BenchOptions.Parse(args);
var root = Directory.CreateTempSubdirectory("epsilon-bench-").FullName;
var gatewayId = "bench-" + Guid.NewGuid().ToString("N")[..6];
using var docker = DockerClientFactory.Create();
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
var store = Path.Combine(root, "epsilon.db");

await using var gateway = await GatewayProcess.StartAsync(store, gatewayId, root);

// EPSILON_BENCH_BASELINE names another built checkout (an older commit): its gateway runs beside this one on the same
// store, and the cold and pool sections call the two in turns, so both builds are measured under the same load.
var baselineRoot = Environment.GetEnvironmentVariable("EPSILON_BENCH_BASELINE");
var baselineId = gatewayId + "-baseline";
await using var baseline = string.IsNullOrEmpty(baselineRoot) ? null : await GatewayProcess.StartAsync(store, baselineId, root, baselineRoot);
var builder = BuilderApplication.Build(
[
    "--urls=http://127.0.0.1:0", $"--Epsilon:Store:Path={store}", $"--Epsilon:Builder:WorkDirectory={root}/builds",
    $"--Epsilon:Builder:GatewayUrl={gateway.Url}", "--Epsilon:Builder:AllowLocalRepositories=true", BuilderAuth.BuilderArgument,
    "--Logging:LogLevel:Default=Warning",
]);
await builder.StartAsync();
var builderUrl = builder.Urls.First();
var result = new JsonObject();
var missed = new List<string>();
void Target(string name, bool met)
{
    if (!met)
    {
        missed.Add(name);
    }
}

try
{
    // Deploy: one small function from a local Git repository, then a change of code only.
    // Each is timed until the URL answers with the new code: the deploy call, the gateway seeing the new version and
    // its cold start.
    var helloUrl = $"{gateway.Url}/bench-hello/";
    var single = Repository.Create(Path.Combine(root, "single"), ["bench-hello"], "hello first", unique: true);
    var firstClock = Stopwatch.StartNew();
    var firstDeploy = await DeployAsync(single.Path);
    await WaitForAnswerAsync(helloUrl, "hello first");
    var firstLive = firstClock.Elapsed;
    single.Commit($"hello again {Guid.NewGuid():N}", "hello");
    var redeployClock = Stopwatch.StartNew();
    var redeploy = await DeployAsync(single.Path);
    await WaitForAnswerAsync(helloUrl, "hello");
    var redeployLive = redeployClock.Elapsed;
    if (options.Runs("deploy"))
    {
        result["deploy"] = new JsonObject
        {
            ["firstLiveSeconds"] = Round(firstLive.TotalSeconds),
            ["firstDeployCallSeconds"] = Round(firstDeploy.TotalSeconds),
            ["codeOnlyRedeployLiveSeconds"] = Round(redeployLive.TotalSeconds),
            ["codeOnlyRedeployCallSeconds"] = Round(redeploy.TotalSeconds),
        };
        Target("deploy to a live URL < 5 s", firstLive < TimeSpan.FromSeconds(5));
        Target("code-only redeploy to a live URL < 3 s", redeployLive < TimeSpan.FromSeconds(3));
    }

    if (options.Runs("warm"))
    {
        // Warm path, before the machine fills with containers: wrk through the gateway and against the same container
        // directly, alternating twice; each side's better round counts.
        // The gateway reloads its function table every RefreshInterval: let it see the redeploy before calling.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await http.GetStringAsync($"{gateway.Url}/bench-hello/");
        var warmIp = await ContainerAddressAsync("bench-hello");
        var directUrl = $"http://{warmIp}:8080/";
        var gatewayUrl = $"{gateway.Url}/bench-hello/";
        // One unmeasured round first: the gateway's JIT tiers its hot path up under load (tiered compilation, PGO).
        Wrk.Run(gatewayUrl, 64, "3s", root);
        var rounds = Enumerable.Range(0, 2).Select(_ => (
            Direct: Direct(directUrl, 64, gatewayUrl), Through: Wrk.Run(gatewayUrl, 64, options.WrkDuration, root),
            DirectOne: Direct(directUrl, 1, gatewayUrl), ThroughOne: Wrk.Run(gatewayUrl, 1, options.WrkDuration, root))).ToList();
        var direct = rounds.Select(r => r.Direct).MaxBy(r => r.Rps);
        var through = rounds.Select(r => r.Through).MaxBy(r => r.Rps);
        var directOne = rounds.Select(r => r.DirectOne).MinBy(r => r.P99);
        var throughOne = rounds.Select(r => r.ThroughOne).MinBy(r => r.P99);
        var throughputRatio = through.Rps / direct.Rps;
        var addedP99 = throughOne.P99 - directOne.P99;
        result["warm"] = new JsonObject
        {
            ["gatewayRps64"] = through.Rps,
            ["directRps64"] = direct.Rps,
            ["throughputRatio"] = Round(throughputRatio),
            ["gatewayP99Ms64"] = through.P99,
            ["directP99Ms64"] = direct.P99,
            ["gatewayP50Ms1"] = throughOne.P50,
            ["directP50Ms1"] = directOne.P50,
            ["gatewayP99Ms1"] = throughOne.P99,
            ["directP99Ms1"] = directOne.P99,
            ["addedP50Ms1"] = Round(throughOne.P50 - directOne.P50),
            ["addedP99Ms1"] = Round(addedP99),
        };
        Target("warm throughput ratio >= 0.85", throughputRatio >= 0.85);
        Target("added p99 < 1 ms (one connection)", addedP99 < 1.0);
    }

    var names = Enumerable.Range(1, options.Functions).Select(i => $"bench-f{i}").ToList();
    var coldNames = names.Take(options.Samples).ToList();

    // The baseline's cold functions are the next ones: the same code and image layers, never warm in this gateway.
    var baselineNames = names.Skip(options.Samples).Take(options.Samples).ToList();
    if (baseline is not null && baselineNames.Count < options.Samples)
    {
        throw new ArgumentException($"a baseline needs twice as many functions as samples ({2 * options.Samples})");
    }
    if (new[] { "cold", "pool", "burst", "density" }.Any(options.Runs))
    {
        // 100 functions in one repository (the same code, so their layers are shared).
        var many = Repository.Create(Path.Combine(root, "many"), names, "hello");
        var manyDeploy = await DeployAsync(many.Path);
        result["deployMany"] = new JsonObject { ["functions"] = names.Count, ["seconds"] = Round(manyDeploy.TotalSeconds) };
    }

    if (options.Runs("cold"))
    {
        // Cold start, alternating with a bare `docker run -d` of the same image until it answers, after one settle round.
        await BareColdStartAsync(names[^1]);
        var gatewayCold = new List<double>();
        var baselineCold = new List<double>();
        var bareCold = new List<double>();
        for (var i = 0; i < coldNames.Count; i++)
        {
            var name = coldNames[i];
            await InTurnsAsync(i,
                async () => gatewayCold.Add(await TimeCallAsync($"{gateway.Url}/{name}/")),
                async () => baselineCold.Add(await TimeCallAsync($"{baseline!.Url}/{baselineNames[i]}/")));
            bareCold.Add(await BareColdStartAsync(name));
        }

        var coldRatio = Median(gatewayCold) / Median(bareCold);
        result["coldStart"] = new JsonObject
        {
            ["gatewayMedianMs"] = Median(gatewayCold),
            ["bareDockerRunMedianMs"] = Median(bareCold),
            ["ratio"] = Round(coldRatio),
            ["gatewayMs"] = Array(gatewayCold),
            ["bareMs"] = Array(bareCold),
        };
        AddBaseline(result["coldStart"]!, "gateway", gatewayCold, baselineCold);
        Target("cold start ratio <= 1.0", coldRatio <= 1.0);
    }

    if (options.Runs("pool"))
    {
        if (!options.Runs("cold"))
        {
            for (var i = 0; i < coldNames.Count; i++)
            {
                await TimeCallAsync($"{gateway.Url}/{coldNames[i]}/");
                if (baseline is not null)
                {
                    await TimeCallAsync($"{baseline.Url}/{baselineNames[i]}/");
                }
            }
        }

        // The kept pool: the same functions once their containers were frozen for being idle, and once more while running.
        foreach (var name in coldNames)
        {
            await WaitUntilPausedAsync(name, gatewayId);
        }

        if (baseline is not null)
        {
            foreach (var name in baselineNames)
            {
                await WaitUntilPausedAsync(name, baselineId);
            }
        }

        var thawed = new List<double>();
        var running = new List<double>();
        var baselineThawed = new List<double>();
        for (var i = 0; i < coldNames.Count; i++)
        {
            var name = coldNames[i];
            await InTurnsAsync(i,
                async () =>
                {
                    thawed.Add(await TimeCallAsync($"{gateway.Url}/{name}/"));
                    running.Add(await TimeCallAsync($"{gateway.Url}/{name}/"));
                },
                async () => baselineThawed.Add(await TimeCallAsync($"{baseline!.Url}/{baselineNames[i]}/")));
        }

        result["keptPool"] = new JsonObject
        {
            ["strategy"] = "paused containers (cgroup freezer), thawed on the next call; compared with containers created ahead of need (started on the call)",
            ["pausedFirstCallMedianMs"] = Median(thawed),
            ["runningCallMedianMs"] = Median(running),
            ["pausedFirstCallMs"] = Array(thawed),
        };
        AddBaseline(result["keptPool"]!, "pausedFirstCall", thawed, baselineThawed);

        // The alternative kept pool, measured on the same images: a container created ahead of need (docker create
        // done, not started) until its first answer.
        var createdAhead = new List<double>();
        foreach (var name in coldNames)
        {
            createdAhead.Add(await CreatedAheadStartAsync(name));
        }

        result["keptPool"]!["createdAheadFirstCallMedianMs"] = Median(createdAhead);
        result["keptPool"]!["createdAheadFirstCallMs"] = Array(createdAhead);
        Target("first call from the kept pool < 100 ms", Median(thawed) < 100);
    }

    if (options.Runs("burst"))
    {
        // Burst: 200 concurrent first calls spread over 20 cold functions.
        var burstNames = names.Skip(options.Samples).Take(20).ToList();
        var burstClock = Stopwatch.StartNew();
        var burst = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync($"{gateway.Url}/{burstNames[i % burstNames.Count]}/");
                return (Status: (int)response.StatusCode, Ms: clock.Elapsed.TotalMilliseconds);
            }
            catch (HttpRequestException)
            {
                return (Status: 0, Ms: clock.Elapsed.TotalMilliseconds);
            }
        }));
        var burstWall = burstClock.Elapsed.TotalSeconds;
        var burstMs = burst.Select(b => b.Ms).Order().ToList();
        var answered = burst.Count(b => b.Status == 200);

        // Its baseline: the same 20 images started bare, all at once, each until it answers (after the gateway's
        // burst, so any page-cache warmth favours the baseline); removed once the last answered, as the gateway's are
        // still running at the end of its burst.
        var bareClock = Stopwatch.StartNew();
        var bareBurst = await Task.WhenAll(burstNames.Select(name => Task.Run(() => BareStartAsync(name))));
        var bareWall = bareClock.Elapsed.TotalSeconds;
        Processes.Run("docker", root, ["rm", "-f", .. bareBurst.Select(b => b.Id)]);
        result["burst"] = new JsonObject
        {
            ["calls"] = burst.Length,
            ["functions"] = burstNames.Count,
            ["answered200"] = answered,
            ["otherStatuses"] = string.Join(",", burst.Where(b => b.Status != 200).Select(b => b.Status)),
            ["wallSeconds"] = Round(burstWall),
            ["bareParallelDockerRunSeconds"] = Round(bareWall),
            ["bareParallelDockerRunMaxMs"] = Round(bareBurst.Max(b => b.Ms)),
            ["wallRatio"] = Round(burstWall / bareWall),
            ["minMs"] = Round(burstMs[0]),
            ["p50Ms"] = Round(Percentile(burstMs, 0.5)),
            ["p90Ms"] = Round(Percentile(burstMs, 0.9)),
            ["p99Ms"] = Round(Percentile(burstMs, 0.99)),
            ["maxMs"] = Round(burstMs[^1]),
        };
        Target("burst: every call answered", answered == burst.Length);
    }

    if (options.Runs("density"))
    {
        // Density: warm more functions until 50 or more containers run, then read their memory and the gateway's.
        var densityNames = names.Skip(options.Samples + 20).Take(50).ToList();
        await Parallel.ForEachAsync(densityNames, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (name, token) =>
            await http.GetStringAsync($"{gateway.Url}/{name}/", token));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = DockerFilters.Labels($"epsilon.gateway={gatewayId}"),
        });
        var memory = containers.Select(c => CgroupMemory(c.ID)).Where(m => m > 0).ToList();
        result["density"] = new JsonObject
        {
            ["deployedFunctions"] = names.Count + 1,
            ["warmContainers"] = containers.Count,
            ["idleMemoryPerContainerMiB"] = memory.Count == 0 ? null : Round(memory.Average() / (1024.0 * 1024)),
            ["gatewayRssMiB"] = Round(gateway.ResidentBytes() / (1024.0 * 1024)),
        };
        Target("density: 100 functions deployed, 50 warm", names.Count >= 100 && containers.Count >= 50);
    }

    if (options.Runs("runtimes"))
    {
        // Per runtime: cold start through the gateway against a bare `docker run` of the same image, and warm throughput
        // through the gateway against the same container, side by side.
        var perRuntime = new JsonObject();
        foreach (var runtime in RuntimeRepositories.Files.Keys)
        {
            var function = $"bench-rt-{runtime}";
            await DeployAsync(RuntimeRepositories.Create(Path.Combine(root, "rt-" + runtime), runtime));
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var cold = new List<double>();
            var bare = new List<double>();
            for (var i = 0; i < options.Samples; i++)
            {
                cold.Add(await TimeCallAsync($"{gateway.Url}/{function}/"));
                bare.Add(await BareColdStartAsync(function));
                if (i < options.Samples - 1)
                {
                    await RemoveContainersAsync(function);
                }
            }

            var ip = await ContainerAddressAsync(function);
            var directRt = Direct($"http://{ip}:8080/", 64, $"{gateway.Url}/{function}/");
            var throughRt = Wrk.Run($"{gateway.Url}/{function}/", 64, options.WrkDuration, root);
            perRuntime[runtime] = new JsonObject
            {
                ["coldGatewayMedianMs"] = Median(cold),
                ["coldBareMedianMs"] = Median(bare),
                ["coldRatio"] = Round(Median(cold) / Median(bare)),
                ["warmGatewayRps"] = throughRt.Rps,
                ["warmDirectRps"] = directRt.Rps,
                ["warmRatio"] = Round(throughRt.Rps / directRt.Rps),
            };
            await RemoveContainersAsync(function);
        }

        result["runtimes"] = perRuntime;
    }

    if (options.Runs("fleet"))
    {
        result["fleet"] = await FleetBench.RunAsync(options, GatewayProcess.SourceRoot(), root, docker, Target);
    }

    result["missedTargets"] = new JsonArray(missed.Select(m => (JsonNode)m).ToArray());
    Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
finally
{
    await builder.StopAsync();
    await gateway.DisposeAsync();
    if (baseline is not null)
    {
        await baseline.DisposeAsync();
    }

    foreach (var id in new[] { gatewayId, baselineId })
    {
        var leftovers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerFilters.Labels($"epsilon.gateway={id}"),
        });
        foreach (var container in leftovers)
        {
            await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    Directory.Delete(root, recursive: true);
}

return missed.Count == 0 ? 0 : 1;

async Task<TimeSpan> DeployAsync(string repository)
{
    var clock = Stopwatch.StartNew();
    using var deploy = await BuilderAuth.DeployAsync(http, builderUrl, repository);
    if (!deploy.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"deploy failed: {await deploy.Content.ReadAsStringAsync()}");
    }

    return clock.Elapsed;
}

async Task WaitForAnswerAsync(string url, string expected)
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        using var response = await http.GetAsync(url);
        if (response.IsSuccessStatusCode && await response.Content.ReadAsStringAsync() == expected)
        {
            return;
        }

        if (deadline.Elapsed > TimeSpan.FromSeconds(30))
        {
            throw new InvalidOperationException($"{url} did not answer '{expected}' within 30 s (last: {(int)response.StatusCode})");
        }

        await Task.Delay(10);
    }
}

async Task<double> TimeCallAsync(string url)
{
    var clock = Stopwatch.StartNew();
    Check(await http.GetStringAsync(url));
    return clock.Elapsed.TotalMilliseconds;
}

// This gateway's call and the baseline's (when there is one), the first of the two changing each time so neither is
// always measured right after the other's work.
async Task InTurnsAsync(int index, Func<Task> current, Func<Task> baselineCall)
{
    if (baseline is null)
    {
        await current();
    }
    else if (index % 2 == 0)
    {
        await current();
        await baselineCall();
    }
    else
    {
        await baselineCall();
        await current();
    }
}

// A figure of the baseline beside this gateway's: its samples, median, and this build's median over it.
void AddBaseline(JsonNode section, string figure, List<double> current, List<double> baselineSamples)
{
    if (baselineSamples.Count > 0)
    {
        var name = char.ToUpperInvariant(figure[0]) + figure[1..];
        section[$"baseline{name}MedianMs"] = Median(baselineSamples);
        section[$"baseline{name}Ms"] = Array(baselineSamples);
        section[$"{figure}ToBaselineRatio"] = Round(Median(current) / Median(baselineSamples));
    }
}

async Task WaitUntilPausedAsync(string function, string gatewayLabel)
{
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (DateTime.UtcNow < deadline)
    {
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = DockerFilters.Labels($"epsilon.gateway={gatewayLabel}", $"epsilon.function={function}"),
        });
        if (containers.Count > 0 && containers.All(c => c.State == "paused"))
        {
            return;
        }

        await Task.Delay(100);
    }

    throw new InvalidOperationException($"the container of '{function}' was not paused");
}

// wrk straight at a container, while a call through the gateway every 250 ms keeps the gateway from freezing it as idle.
(double Rps, double P50, double P99, long Requests) Direct(string url, int connections, string viaGateway)
{
    using var stop = new CancellationTokenSource();
    var keepAlive = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            await http.GetStringAsync(viaGateway);
            await Task.Delay(250);
        }
    });
    try
    {
        return Wrk.Run(url, connections, options.WrkDuration, root);
    }
    finally
    {
        stop.Cancel();
        keepAlive.Wait();
    }
}

async Task RemoveContainersAsync(string function)
{
    var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
    {
        All = true,
        Filters = DockerFilters.Labels($"epsilon.gateway={gatewayId}", $"epsilon.function={function}"),
    });
    foreach (var container in containers)
    {
        await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
    }

    // The gateway learns of the exit from its watch on the container; give it a moment.
    await Task.Delay(1000);
}

async Task<string> ContainerAddressAsync(string function)
{
    // The live version's running container: one of a replaced version may still be on its way out, without an address.
    for (var attempt = 0; attempt < 100; attempt++)
    {
        foreach (var container in await docker.Containers.ListContainersAsync(new ContainersListParameters
                 {
                     Filters = DockerFilters.Labels($"epsilon.gateway={gatewayId}", $"epsilon.function={function}"),
                 }))
        {
            var inspect = await docker.Containers.InspectContainerAsync(container.ID);
            if (inspect.State is { Running: true, Paused: false } && inspect.NetworkSettings?.Networks is { } networks && networks.TryGetValue("epsilon", out var endpoint) && endpoint.IPAddress is { Length: > 0 } ip)
            {
                return ip;
            }
        }

        await Task.Delay(100);
    }

    throw new InvalidOperationException($"no running container of '{function}'");
}

async Task<double> BareColdStartAsync(string function)
{
    var (id, elapsed) = await BareStartAsync(function);
    Processes.Run("docker", root, "rm", "-f", id);
    return elapsed;
}

// `docker run -d` of a function's image until it answers: the container's id and the milliseconds it took.
async Task<(string Id, double Ms)> BareStartAsync(string function)
{
    var clock = Stopwatch.StartNew();
    var id = Processes.Run("docker", root, "run", "-d", "--rm", "--network", "epsilon", "--label", $"epsilon.gateway={gatewayId}-bare",
        $"127.0.0.1:5000/{function}:v1").Trim();
    var ip = Processes.Run("docker", root, "inspect", "-f", "{{.NetworkSettings.Networks.epsilon.IPAddress}}", id).Trim();
    while (true)
    {
        try
        {
            Check(await http.GetStringAsync($"http://{ip}:8080/"));
            break;
        }
        catch (HttpRequestException)
        {
            await Task.Delay(5);
        }
    }

    return (id, clock.Elapsed.TotalMilliseconds);
}

// A container created ahead (not timed), then started through the API until it answers; what a pool of created
// containers would give a first call.
async Task<double> CreatedAheadStartAsync(string function)
{
    var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
    {
        Image = $"127.0.0.1:5000/{function}:v1",
        Labels = new Dictionary<string, string> { ["epsilon.gateway"] = gatewayId },
        HostConfig = new HostConfig { NetworkMode = "epsilon" },
    });
    try
    {
        var clock = Stopwatch.StartNew();
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        var inspect = await docker.Containers.InspectContainerAsync(created.ID);
        var ip = inspect.NetworkSettings!.Networks!["epsilon"].IPAddress;
        using var probe = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromMilliseconds(50) });
        while (true)
        {
            try
            {
                Check(await probe.GetStringAsync($"http://{ip}:8080/"));
                return clock.Elapsed.TotalMilliseconds;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(5);
            }
        }
    }
    finally
    {
        await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
    }
}

static long CgroupMemory(string id)
{
    // cgroup v1 (this machine) first, then v2.
    foreach (var path in new[] { $"/sys/fs/cgroup/memory/docker/{id}/memory.usage_in_bytes", $"/sys/fs/cgroup/system.slice/docker-{id}.scope/memory.current" })
    {
        if (File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), out var bytes))
        {
            return bytes;
        }
    }

    return 0;
}

static void Check(string answer)
{
    if (answer != "hello")
    {
        throw new InvalidOperationException($"unexpected answer '{answer}'");
    }
}

static double Median(List<double> values) => Round(Percentile(values.Order().ToList(), 0.5));

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static double Round(double value) => Math.Round(value, 3);

static JsonArray Array(List<double> values) => new(values.Select(v => (JsonNode)Math.Round(v, 1)).ToArray());
