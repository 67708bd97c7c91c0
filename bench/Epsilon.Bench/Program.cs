using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Epsilon.Builder;
using Epsilon.Core.Docker;
using Epsilon.Gateway;

// Cold start and warm throughput of the gateway against the same image and container used bare, side by side in
// one run. Prints one JSON object; needs the set-up (scripts/setup.sh) and wrk.
var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var wrkDuration = args.Length > 1 ? args[1] : "10s";
var root = Directory.CreateTempSubdirectory("epsilon-bench-").FullName;
var gatewayId = "bench-" + Guid.NewGuid().ToString("N")[..6];
using var docker = DockerClientFactory.Create();

var gateway = GatewayApplication.Build(
[
    "--urls=http://127.0.0.1:0", $"--Epsilon:Store:Path={root}/epsilon.db", $"--Epsilon:Gateway:Id={gatewayId}",
    "--Logging:LogLevel:Default=Warning",
]);
await gateway.StartAsync();
var gatewayUrl = gateway.Urls.First();
var builder = BuilderApplication.Build(
[
    "--urls=http://127.0.0.1:0", $"--Epsilon:Store:Path={root}/epsilon.db", $"--Epsilon:Builder:WorkDirectory={root}/builds",
    $"--Epsilon:Builder:GatewayUrl={gatewayUrl}", "--Logging:LogLevel:Default=Warning",
]);
await builder.StartAsync();
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };

try
{
    // One repository, one function per cold-start sample plus the throughput one; all the same code and layers.
    var repository = Path.Combine(root, "repository");
    Directory.CreateDirectory(repository);
    var names = Enumerable.Range(1, samples).Select(i => $"bench-cold-{i}").Append("bench-warm").ToList();
    await File.WriteAllTextAsync(Path.Combine(repository, "index.js"),
        "module.exports.hello = { definition: async (req, res) => { res.send('hello'); } };\n");
    await File.WriteAllTextAsync(Path.Combine(repository, "epsilon.yaml"),
        "runtime: node\nfunctions:\n" + string.Concat(names.Select(n => $"  {n}:\n    handler: index.js:hello\n    concurrency: 256\n    maxContainers: 1\n")));
    Run("git", repository, "init", "-q", "-b", "main");
    Run("git", repository, "add", "-A");
    Run("git", repository, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "bench");

    var deployClock = Stopwatch.StartNew();
    using (var deploy = await http.PostAsJsonAsync(builder.Urls.First() + "/deployments", new { repository }))
    {
        if (!deploy.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"deploy failed: {await deploy.Content.ReadAsStringAsync()}");
        }
    }

    deployClock.Stop();

    // Cold start, alternating so both see the same machine: the first call through the gateway to a function with
    // no container (image local), then the same image run bare with `docker run -d` until it answers. One untimed
    // round first lets the daemon settle after the deploy's builds.
    var gatewayCold = new List<double>();
    var bareCold = new List<double>();
    await BareColdStartAsync("bench-warm");
    for (var i = 0; i < samples; i++)
    {
        var clock = Stopwatch.StartNew();
        Check(await http.GetStringAsync($"{gatewayUrl}/{names[i]}/"));
        gatewayCold.Add(clock.Elapsed.TotalMilliseconds);
        bareCold.Add(await BareColdStartAsync(names[i]));
    }

    // Warm throughput: wrk through the gateway, then against the same container directly.
    Check(await http.GetStringAsync($"{gatewayUrl}/bench-warm/"));
    var warm = (await docker.Containers.ListContainersAsync(new ContainersListParameters
    {
        Labels = new Dictionary<string, string?> { ["epsilon.gateway"] = gatewayId, ["epsilon.function"] = "bench-warm" },
    })).Single();
    var warmIp = (await docker.Containers.InspectContainerAsync(warm.ID)).NetworkSettings.Networks!["epsilon"].IPAddress;
    var direct = Wrk($"http://{warmIp}:8080/", wrkDuration, root);
    var through = Wrk($"{gatewayUrl}/bench-warm/", wrkDuration, root);

    var result = new JsonObject
    {
        ["samples"] = samples,
        ["deploySeconds"] = Math.Round(deployClock.Elapsed.TotalSeconds, 2),
        ["deployedFunctions"] = names.Count,
        ["coldStart"] = new JsonObject
        {
            ["gatewayMedianMs"] = Median(gatewayCold),
            ["bareDockerRunMedianMs"] = Median(bareCold),
            ["ratio"] = Math.Round(Median(gatewayCold) / Median(bareCold), 3),
            ["gatewayMs"] = new JsonArray(gatewayCold.Select(v => (JsonNode)Math.Round(v, 1)).ToArray()),
            ["bareMs"] = new JsonArray(bareCold.Select(v => (JsonNode)Math.Round(v, 1)).ToArray()),
        },
        ["warm"] = new JsonObject
        {
            ["connections"] = 64,
            ["gatewayRps"] = through.Rps,
            ["directRps"] = direct.Rps,
            ["throughputRatio"] = Math.Round(through.Rps / direct.Rps, 3),
            ["gatewayP50Ms"] = through.P50,
            ["directP50Ms"] = direct.P50,
            ["gatewayP99Ms"] = through.P99,
            ["directP99Ms"] = direct.P99,
            ["addedP99Ms"] = Math.Round(through.P99 - direct.P99, 3),
        },
    };
    Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
finally
{
    await builder.StopAsync();
    await gateway.StopAsync();
    Directory.Delete(root, recursive: true);
}

async Task<double> BareColdStartAsync(string function)
{
    var clock = Stopwatch.StartNew();
    var id = Run("docker", root, "run", "-d", "--rm", "--network", "epsilon", "--label", $"epsilon.gateway={gatewayId}",
        $"127.0.0.1:5000/{function}:v1").Trim();
    var ip = Run("docker", root, "inspect", "-f", "{{.NetworkSettings.Networks.epsilon.IPAddress}}", id).Trim();
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

    var elapsed = clock.Elapsed.TotalMilliseconds;
    Run("docker", root, "rm", "-f", id);
    return elapsed;
}

static void Check(string answer)
{
    if (answer != "hello")
    {
        throw new InvalidOperationException($"unexpected answer '{answer}'");
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    var middle = sorted.Count / 2;
    return Math.Round(sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, 1);
}

static (double Rps, double P50, double P99) Wrk(string url, string duration, string directory)
{
    var output = Run("wrk", directory, "-t2", "-c64", $"-d{duration}", "--latency", url);
    var rps = double.Parse(Regex.Match(output, @"Requests/sec:\s+([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
    return (rps, Latency(output, "50%"), Latency(output, "99%"));
}

static double Latency(string output, string percentile)
{
    var match = Regex.Match(output, $@"{Regex.Escape(percentile)}\s+([0-9.]+)(us|ms|s)");
    var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    return Math.Round(match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value }, 3);
}

static string Run(string file, string directory, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEnd();
    process.WaitForExit();
    return process.ExitCode == 0 ? stdout.Result : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {stderr}");
}
