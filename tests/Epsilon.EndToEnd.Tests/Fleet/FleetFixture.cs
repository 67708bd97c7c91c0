using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.Builder;
using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>
/// A fleet on this machine: three gateway processes on their own ports, HAProxy in front (round-robin, as an AWS ALB),
/// a fresh PostgreSQL database they and the builder share, the real Docker engine and registry. Gateway ids start with
/// <c>fleet-</c> and this run's id; every container of them is removed at the end.
/// </summary>
public sealed class FleetFixture : IAsyncLifetime
{
    public const int Size = 3;

    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-fleet-").FullName;
    private PostgresStoreDatabase? _database;
    private WebApplication? _builder;

    public string RunId { get; } = "fleet-" + Guid.NewGuid().ToString("N")[..6];

    public IReadOnlyList<GatewayNode> Gateways { get; private set; } = [];

    public LoadBalancer Balancer { get; private set; } = null!;

    public HttpClient Builder { get; private set; } = null!;

    public string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = new PostgresStoreDatabase();
        Gateways = Enumerable.Range(1, Size).Select(i => NewGateway($"{RunId}-{i}")).ToList();
        await Task.WhenAll(Gateways.Select(g => g.StartAsync()));
        Balancer = await LoadBalancer.StartAsync("roundrobin", Gateways);

        _builder = await StartBuilderAsync(ConnectionString, Path.Combine(_root, "builds"), Balancer.Url);
        Builder = TestAdmin.Authorize(new HttpClient { BaseAddress = new Uri(_builder.Urls.First()), Timeout = TimeSpan.FromMinutes(5) });
        await WaitUntilBalancedAsync();
    }

    /// <summary>Heartbeats every 200 ms, out after 1.5 s: the chaos tests wait for these, not for production's 1 s and 5 s.</summary>
    private static string[] FleetArguments =>
        ["--Epsilon:Fleet:HeartbeatInterval=00:00:00.200", "--Epsilon:Fleet:HeartbeatTimeout=00:00:01.500"];

    /// <summary>This tree's builder on the fleet's store, in this process, started.</summary>
    internal static async Task<WebApplication> StartBuilderAsync(string connectionString, string workDirectory, string gatewayUrl)
    {
        var builder = BuilderApplication.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--Epsilon:Store:Provider=Postgres",
            $"--Epsilon:Store:ConnectionString={connectionString}",
            $"--Epsilon:Builder:WorkDirectory={workDirectory}",
            $"--Epsilon:Builder:GatewayUrl={gatewayUrl}",
            "--Epsilon:Builder:AllowLocalRepositories=true",
            .. FleetArguments,
            TestAdmin.BuilderArgument,
            "--Logging:LogLevel:Default=Warning",
        ]);
        await builder.StartAsync();
        return builder;
    }

    /// <summary>A gateway of this fleet, not started: tests start, stop, kill and restart them.</summary>
    public GatewayNode NewGateway(string id, params string[] settings) => new(id, GatewayArguments(ConnectionString, settings));

    /// <summary>The fleet tests' configuration of a gateway on <paramref name="connectionString"/>'s store, then <paramref name="settings"/>.</summary>
    internal static string[] GatewayArguments(string connectionString, params string[] settings) =>
    [
        "--Epsilon:Store:Provider=Postgres",
        $"--Epsilon:Store:ConnectionString={connectionString}",
        "--Epsilon:Gateway:ReapInterval=00:00:00.500",
        "--Epsilon:Gateway:PauseIdleAfter=00:00:30",
        "--Epsilon:Gateway:QueueTimeout=00:00:10",
        // The balancer checks every 500 ms and takes two failures: 1.5 s of failing health outlasts that.
        "--Epsilon:Gateway:Fleet:DrainDelay=00:00:01.500",
        "--Epsilon:Gateway:Fleet:DrainTimeout=00:00:20",
        "--Epsilon:Gateway:Fleet:MaxContainers=30",
        $"--Epsilon:Gateway:BaseDomain={PlatformFixture.BaseDomain}",
        .. FleetArguments,
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Epsilon=Information",
        .. settings,
    ];

    /// <summary>Starts any gateway a previous test stopped or killed, and waits until the balancer reaches them all.</summary>
    public async Task EnsureAllRunningAsync()
    {
        await Task.WhenAll(Gateways.Where(g => !g.Running).Select(g => g.StartAsync()));
        await WaitUntilBalancedAsync();
    }

    /// <summary>Until every gateway answers through the balancer (its health checks have passed for each).</summary>
    public async Task WaitUntilBalancedAsync()
    {
        var watch = Stopwatch.StartNew();
        var seen = new HashSet<string>();
        while (seen.Count < Gateways.Count(g => g.Running))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the balancer reached {seen.Count} gateway(s):\n{Balancer.Output}\n{Logs}");
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

            await Task.Delay(50);
        }
    }

    /// <summary>Deploys <paramref name="files"/> as a repository; fails the test unless it answers 201.</summary>
    public async Task<JsonElement> DeployAsync(IReadOnlyDictionary<string, string> files)
    {
        using var repository = TestRepository.Create(files);
        return await DeployAsync(repository);
    }

    /// <summary>Deploys <paramref name="repository"/>; fails the test unless it answers 201.</summary>
    internal async Task<JsonElement> DeployAsync(TestRepository repository)
    {
        using var response = await Builder.PostAsJsonAsync("/deployments", new { repository = repository.Path });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, $"deploy answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Running containers of <paramref name="gatewayId"/>, optionally of one function (from Docker's own listing).</summary>
    public static async Task<int> ContainersAsync(string gatewayId, string? function = null)
    {
        var arguments = new List<string> { "ps", "-q", "--filter", $"label=epsilon.gateway={gatewayId}" };
        if (function is not null)
        {
            arguments.AddRange(["--filter", $"label=epsilon.function={function}"]);
        }

        var output = await DockerAsync(arguments);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    /// <summary>Containers of every gateway (running or not) whose id starts with <paramref name="prefix"/>.</summary>
    public static async Task<string[]> AllContainersAsync(string prefix)
    {
        var output = await DockerAsync(["ps", "-a", "--filter", "label=epsilon.gateway", "--format", "{{.ID}} {{.Label \"epsilon.gateway\"}}"]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Split(' ')[1].StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0]).ToArray();
    }

    /// <summary>Runs the docker command and returns its output; a failure fails the test with docker's error.</summary>
    internal static async Task<string> DockerAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return output;
    }

    /// <summary>The last lines of the gateways' logs, for a failing test's message.</summary>
    public string Logs => string.Join("\n", Gateways.Select(g => $"--- {g.Id} ---\n{string.Join('\n', g.Output.Split('\n').TakeLast(60))}"));

    public async Task DisposeAsync()
    {
        await Task.WhenAll(Gateways.Select(g => g.DisposeAsync().AsTask()));
        await Balancer.DisposeAsync();
        if (_builder is not null)
        {
            await _builder.StopAsync();
            await _builder.DisposeAsync();
        }

        // Nothing of this run may outlive it, even a gateway killed and not restarted.
        var leftovers = await AllContainersAsync(RunId);
        if (leftovers.Length > 0)
        {
            await DockerAsync(["rm", "-f", .. leftovers]);
        }

        Builder.Dispose();
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
