using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Epsilon.Builder;
using Npgsql;

namespace Epsilon.Bench;

/// <summary>
/// The fleet section: three gateways on one PostgreSQL store behind HAProxy round-robin, 30 Node hello functions called
/// evenly, sticky routing against every gateway serving locally, each on a fresh fleet, in turns (local, sticky, sticky,
/// local) so drift over the run falls on both alike. Also: throughput at saturation for both, the hashing balancer at the
/// same rate, and what a forwarded call adds to one served at its home.
/// </summary>
internal static class FleetBench
{
    private const int Gateways = 3;
    private const int Functions = 30;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MeasuredFromAge = TimeSpan.FromSeconds(90);

    public static async Task<JsonObject> RunAsync(BenchOptions options, string sourceRoot, string root, IDockerClient docker, Action<string, bool> target)
    {
        var postgres = Environment.GetEnvironmentVariable("EPSILON_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("the fleet section needs EPSILON_BENCH_POSTGRES (bench/run.sh starts a cluster)");
        var database = "epsilon_bench_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(postgres, $"CREATE DATABASE {database}");
        var store = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        var port = GatewayProcess.FreePort();
        var idPrefix = "bench-fleet-" + Guid.NewGuid().ToString("N")[..6];
        var phase = 0;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

        var builder = BuilderApplication.Build(
        [
            "--urls=http://127.0.0.1:0", "--Epsilon:Store:Provider=Postgres", $"--Epsilon:Store:ConnectionString={store}",
            $"--Epsilon:Builder:WorkDirectory={root}/fleet-builds", $"--Epsilon:Builder:GatewayUrl=http://127.0.0.1:{port}",
            "--Epsilon:Builder:AllowLocalRepositories=true",
            BuilderAuth.BuilderArgument, "--Logging:LogLevel:Default=Warning",
        ]);
        await builder.StartAsync();
        try
        {
            var names = Enumerable.Range(1, Functions).Select(i => $"fleet-f{i}").ToList();
            var repository = Repository.Create(Path.Combine(root, "fleet"), names, "hello");
            using (var deploy = await BuilderAuth.DeployAsync(http, builder.Urls.First(), repository.Path))
            {
                if (!deploy.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"deploy failed: {await deploy.Content.ReadAsStringAsync()}");
                }
            }

            var paths = names.Select(n => $"/{n}/").ToList();
            Task<BenchFleet> StartAsync(string routing, string balancing) =>
                BenchFleet.StartAsync(sourceRoot, $"{idPrefix}-{++phase}", Gateways, routing, balancing, port, store, root);

            // Throughput at saturation: wrk through the balancer, 64 connections, once every function is warm.
            var saturation = new JsonObject();
            var peaks = new Dictionary<string, double>();
            foreach (var routing in new[] { "Local", "Sticky" })
            {
                await using var fleet = await StartAsync(routing, "roundrobin");
                await WarmAsync(http, fleet, paths);
                var script = WrkScript(root, paths);
                Wrk.Run(fleet.Url + "/", 64, "10s", root, script);
                var run = Wrk.Run(fleet.Url + "/", 64, options.WrkDuration, root, script);
                peaks[routing] = run.Rps;
                saturation[routing.ToLowerInvariant()] = Report($"{routing} at saturation", new JsonObject { ["rps"] = run.Rps, ["p50Ms"] = run.P50, ["p99Ms"] = run.P99 });
            }

            saturation["stickyToLocalRatio"] = Round(peaks["Sticky"] / peaks["Local"]);

            // Half of local serving's peak, from a fresh fleet each time: cold starts, containers, errors, CPU per call.
            var rate = Math.Round(peaks["Local"] / 2);
            var duration = TimeSpan.FromSeconds(20);
            var measured = new Dictionary<string, List<JsonObject>> { ["Local"] = [], ["Sticky"] = [] };
            foreach (var routing in new[] { "Local", "Sticky", "Sticky", "Local" })
            {
                await using var fleet = await StartAsync(routing, "roundrobin");
                measured[routing].Add(Report($"{routing} at {rate} calls/s", await MeasureAsync(http, docker, fleet, paths, rate, duration)));
            }

            JsonObject hashed;
            await using (var fleet = await StartAsync("Sticky", "hash"))
            {
                hashed = Report($"Sticky, hashing balancer, at {rate} calls/s", await MeasureAsync(http, docker, fleet, paths, rate, duration, hashing: true));
            }

            // A forwarded call against one served at its home: one connection each, straight to the gateways, in turns.
            JsonObject hop;
            await using (var fleet = await StartAsync("Sticky", "roundrobin"))
            {
                hop = Report("forward hop", await ForwardHopAsync(http, fleet, paths, options, root));
            }

            double Mean(string routing, string figure) => Round(measured[routing].Average(m => Number(m[figure])));
            var coldRatio = Mean("Sticky", "coldStarts") / Mean("Local", "coldStarts");
            var containerRatio = Mean("Sticky", "containers") / Mean("Local", "containers");
            var cpuRatio = Mean("Sticky", "gatewayCpuMsPerCall") / Mean("Local", "gatewayCpuMsPerCall");
            var errors = measured.Values.SelectMany(m => m).Sum(m => Number(m["failed"])) + Number(hashed["failed"]);
            var addedP50 = Number(hop["addedP50Ms"]);
            target("fleet: sticky cold starts <= 0.4x local", coldRatio <= 0.4);
            target("fleet: sticky containers <= 0.5x local", containerRatio <= 0.5);
            target("fleet: forwarded call adds < 1 ms at p50", addedP50 < 1.0);
            target("fleet: zero errors", errors == 0);
            target("fleet: gateway CPU per call <= 1.25x local", cpuRatio <= 1.25);
            return new JsonObject
            {
                ["gateways"] = Gateways,
                ["functions"] = Functions,
                ["balancer"] = "haproxy roundrobin",
                ["callsPerSecond"] = rate,
                ["secondsPerMeasurement"] = duration.TotalSeconds,
                ["settleSeconds"] = Settle.TotalSeconds,
                ["measuredFromGatewayAgeSeconds"] = MeasuredFromAge.TotalSeconds,
                ["local"] = new JsonArray(measured["Local"].Select(m => (JsonNode)m).ToArray()),
                ["sticky"] = new JsonArray(measured["Sticky"].Select(m => (JsonNode)m).ToArray()),
                ["stickyHashingBalancer"] = hashed,
                ["coldStartRatio"] = Round(coldRatio),
                ["containerRatio"] = Round(containerRatio),
                ["cpuPerCallRatio"] = Round(cpuRatio),
                ["hashingBalancerCpuPerCallRatio"] = Round(Number(hashed["gatewayCpuMsPerCall"]) / Mean("Local", "gatewayCpuMsPerCall")),
                ["errors"] = errors,
                ["forwardHop"] = hop,
                ["saturation"] = saturation,
            };
        }
        finally
        {
            await builder.StopAsync();
            await builder.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>
    /// A fresh fleet first warmed as its routing warms it: every function called once through every gateway (what
    /// round-robin traffic brings each gateway), then open-loop calls at <paramref name="rate"/>
    /// through the balancer for at least <see cref="Settle"/> and until the gateways are <see cref="MeasuredFromAge"/>
    /// old (spillover if any, JIT tiering), then <paramref name="duration"/> measured at that rate. Cold
    /// starts and containers count from the start; failures over both loads; latency and the gateways' CPU per call over
    /// the measured part. (Started cold at the full rate, this 2-core VM spends a minute starting 90 Node containers for
    /// local serving while the calls queue past their timeouts, which measures the VM rather than the routing.)
    /// </summary>
    private static async Task<JsonObject> MeasureAsync(HttpClient http, IDockerClient docker, BenchFleet fleet, IReadOnlyList<string> paths,
        double rate, TimeSpan duration, bool hashing = false)
    {
        var urls = paths.Select(p => fleet.Url + p).ToList();
        var containers = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                containers = Math.Max(containers, await fleet.ContainersAsync(docker));
                await Task.Delay(1000);
            }
        });
        var warming = Stopwatch.StartNew();
        var warmCalls = await WarmAsync(http, fleet, paths, throughBalancer: hashing);
        var warmSeconds = warming.Elapsed.TotalSeconds;
        // A .NET process spends its first minute tiering its code up (2.0 s of CPU for three idle gateways between 10 and
        // 30 s of age, 0.4 s between 70 and 90 s): the measurement starts at the same age for every fleet, or the routing
        // that warms faster would carry more of that into its figure.
        var settleFor = Settle > MeasuredFromAge - fleet.Age ? Settle : MeasuredFromAge - fleet.Age;
        var settle = await OpenLoad.RunAsync(http, urls, rate, settleFor, TimeSpan.Zero);
        var cpuBefore = fleet.CpuTime();
        var measured = await OpenLoad.RunAsync(http, urls, rate, duration, TimeSpan.Zero);
        var cpuAfter = fleet.CpuTime();
        var cpu = cpuAfter - cpuBefore;
        await sampling.CancelAsync();
        await sampler;
        containers = Math.Max(containers, await fleet.ContainersAsync(docker));
        var (cold, forwards, served) = await fleet.CountsAsync(http);
        return new JsonObject
        {
            ["warmUpSeconds"] = Round(warmSeconds),
            ["settleSeconds"] = Round(settleFor.TotalSeconds),
            ["calls"] = settle.Calls + measured.Calls,
            ["failed"] = settle.Failed + measured.Failed,
            ["firstFailures"] = string.Join("; ", settle.FirstFailures.Concat(measured.FirstFailures).Take(5)),
            ["coldStarts"] = cold,
            ["containers"] = containers,
            ["forwarded"] = forwards,
            ["served"] = served,
            ["measuredCalls"] = measured.Calls,
            ["p50Ms"] = Round(measured.Percentile(0.5)),
            ["p99Ms"] = Round(measured.Percentile(0.99)),
            ["gatewayCpuSeconds"] = Round(cpu.TotalSeconds),
            ["gatewayCpuMsPerCall"] = Round(cpu.TotalMilliseconds / measured.Calls),
            // Everything the gateways used since they started (start-up, cold starts, warm-up, settle and the measured
            // part) over every call they were sent: what a VM pays, cold starts included.
            ["gatewayCpuMsPerCallFromStart"] = Round(cpuAfter.TotalMilliseconds / (warmCalls + settle.Calls + measured.Calls)),
        };
    }

    /// <summary>
    /// wrk with one connection at a function's home gateway and at another gateway, which forwards it there, alternating
    /// twice; each side's better p50 counts.
    /// </summary>
    private static async Task<JsonObject> ForwardHopAsync(HttpClient http, BenchFleet fleet, IReadOnlyList<string> paths, BenchOptions options, string root)
    {
        var path = paths[0];
        GatewayProcess? home = null;
        foreach (var gateway in fleet.Gateways)
        {
            await http.GetStringAsync(gateway.Url + path);
            var metrics = await http.GetFromJsonAsync<JsonElement>($"{gateway.Url}/_epsilon/metrics");
            var function = metrics.GetProperty("functions").GetProperty(path.Trim('/'));
            if (function.GetProperty("forwards").GetInt64() == 0)
            {
                home = gateway;
            }
        }

        if (home is null)
        {
            throw new InvalidOperationException($"no gateway served {path} itself");
        }

        var other = fleet.Gateways.First(g => g != home);
        Wrk.Run(other.Url + path, 1, "2s", root);
        // While calls are forwarded, the CPU each of the two gateways spends per call: the hop's own cost against serving.
        var forwarderCpu = TimeSpan.Zero;
        var homeCpu = TimeSpan.Zero;
        long forwardedCalls = 0;
        var rounds = Enumerable.Range(0, 2).Select(_ =>
        {
            var atHome = Wrk.Run(home.Url + path, 1, options.WrkDuration, root);
            var (forwarderBefore, homeBefore) = (other.CpuTime(), home.CpuTime());
            var forwarded = Wrk.Run(other.Url + path, 1, options.WrkDuration, root);
            forwarderCpu += other.CpuTime() - forwarderBefore;
            homeCpu += home.CpuTime() - homeBefore;
            forwardedCalls += forwarded.Requests;
            return (Home: atHome, Forwarded: forwarded);
        }).ToList();
        var atHome = rounds.Select(r => r.Home).MinBy(r => r.P50);
        var forwarded = rounds.Select(r => r.Forwarded).MinBy(r => r.P50);
        return new JsonObject
        {
            ["homeP50Ms"] = atHome.P50,
            ["forwardedP50Ms"] = forwarded.P50,
            ["addedP50Ms"] = Round(forwarded.P50 - atHome.P50),
            ["homeP99Ms"] = atHome.P99,
            ["forwardedP99Ms"] = forwarded.P99,
            ["forwarderCpuMsPerCall"] = Round(forwarderCpu.TotalMilliseconds / forwardedCalls),
            ["homeCpuMsPerCall"] = Round(homeCpu.TotalMilliseconds / forwardedCalls),
            ["hopToServingCpuRatio"] = Round(forwarderCpu.TotalMilliseconds / homeCpu.TotalMilliseconds),
        };
    }

    /// <summary>
    /// Calls every function once through every gateway (what round-robin traffic brings each), or, behind the hashing
    /// balancer, three times through the balancer (which sends each function to one gateway, as home).
    /// </summary>
    /// <returns>How many calls were made.</returns>
    private static async Task<int> WarmAsync(HttpClient http, BenchFleet fleet, IReadOnlyList<string> paths, bool throughBalancer = false)
    {
        var entries = throughBalancer ? Enumerable.Repeat(fleet.Url, 3).ToList() : fleet.Gateways.Select(g => g.Url).ToList();
        await Task.WhenAll(entries.Select(entry =>
            Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (path, token) =>
                await http.GetStringAsync(entry + path, token))));
        return entries.Count * paths.Count;
    }

    /// <summary>A wrk script calling the paths in turn (each thread from its own place in the list).</summary>
    private static string WrkScript(string root, IReadOnlyList<string> paths)
    {
        var file = Path.Combine(root, "fleet-paths.lua");
        File.WriteAllText(file, $$"""
            local paths = { {{string.Join(", ", paths.Select(p => $"\"{p}\""))}} }
            local i = math.random(#paths)
            request = function()
              i = i % #paths + 1
              return wrk.format(nil, paths[i])
            end
            """);
        return file;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static double Round(double value) => Math.Round(value, 3);

    private static double Number(JsonNode? node) => double.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    /// <summary>Each measurement as it is made, on standard error, so a run that fails later still shows it.</summary>
    private static JsonObject Report(string what, JsonObject measurement)
    {
        Console.Error.WriteLine($"[fleet] {what}: {measurement.ToJsonString()}");
        return measurement;
    }
}
