using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Core.Docker;

namespace Epsilon.Bench;

/// <summary>
/// Gateway processes sharing one PostgreSQL store behind HAProxy on a fixed port, as a fleet of VMs would run; started
/// fresh (no containers) for each measurement and stopped with SIGTERM, which drains them and removes their containers.
/// </summary>
internal sealed class BenchFleet : IAsyncDisposable
{
    private readonly IReadOnlyList<GatewayProcess> _gateways;
    private readonly Haproxy _balancer;

    private readonly Stopwatch _age;

    private BenchFleet(IReadOnlyList<GatewayProcess> gateways, Haproxy balancer, string url, Stopwatch age)
    {
        _age = age;
        _gateways = gateways;
        _balancer = balancer;
        Url = url;
    }

    /// <summary>The balancer's address.</summary>
    public string Url { get; }

    public IReadOnlyList<GatewayProcess> Gateways => _gateways;

    /// <summary>How long ago its gateway processes were started.</summary>
    public TimeSpan Age => _age.Elapsed;

    /// <summary>
    /// Starts <paramref name="size"/> gateways routing with <paramref name="routing"/> (Sticky or Local) and HAProxy in
    /// <paramref name="balancing"/> mode on <paramref name="port"/>, and waits until every gateway sees every other.
    /// </summary>
    public static async Task<BenchFleet> StartAsync(string sourceRoot, string idPrefix, int size, string routing, string balancing, int port,
        string connectionString, string directory)
    {
        var age = Stopwatch.StartNew();
        var gateways = await Task.WhenAll(Enumerable.Range(1, size).Select(i => GatewayProcess.StartAsync($"{idPrefix}-{i}", directory,
        [
            "--Epsilon:Store:Provider=Postgres", $"--Epsilon:Store:ConnectionString={connectionString}",
            $"--Epsilon:Gateway:Fleet:Routing={routing}",
            // Nothing is paused while measured: both routings keep what they started for the whole measurement.
            "--Epsilon:Gateway:PauseIdleAfter=00:05:00",
            "--Epsilon:Gateway:Fleet:DrainDelay=00:00:00.500",
            "--Epsilon:Fleet:HeartbeatInterval=00:00:00.250", "--Epsilon:Fleet:HeartbeatTimeout=00:00:02",
        ])));
        var balancer = await Haproxy.StartAsync(sourceRoot, balancing, port, gateways.Select(g => g.Port), directory);
        var fleet = new BenchFleet(gateways, balancer, $"http://127.0.0.1:{port}", age);
        using var http = new HttpClient();
        foreach (var gateway in gateways)
        {
            for (var attempt = 0; ; attempt++)
            {
                var status = await http.GetFromJsonAsync<JsonElement>($"{gateway.Url}/_epsilon/fleet");
                if (status.GetProperty("peers").GetArrayLength() == size)
                {
                    break;
                }

                if (attempt > 100)
                {
                    throw new InvalidOperationException($"gateway {gateway.Id} sees {status}");
                }

                await Task.Delay(100);
            }
        }

        // The balancer's health checks pass twice, 500 ms apart, before it sends to a server.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await http.GetAsync($"{fleet.Url}/_epsilon/health");
                if (response.IsSuccessStatusCode)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1.5));
                    return fleet;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("the balancer never reached the gateways");
    }

    /// <summary>Cold starts, calls forwarded and calls served, summed over the gateways' own metrics.</summary>
    public async Task<(long ColdStarts, long Forwards, long Served)> CountsAsync(HttpClient http)
    {
        long cold = 0, forwards = 0, served = 0;
        foreach (var gateway in _gateways)
        {
            var metrics = await http.GetFromJsonAsync<JsonElement>($"{gateway.Url}/_epsilon/metrics");
            foreach (var function in metrics.GetProperty("functions").EnumerateObject())
            {
                cold += function.Value.GetProperty("coldStarts").GetInt64();
                forwards += function.Value.GetProperty("forwards").GetInt64();
                served += function.Value.GetProperty("invocations").GetInt64();
            }
        }

        return (cold, forwards, served);
    }

    /// <summary>Function containers the gateways hold now, from Docker's own listing.</summary>
    public async Task<int> ContainersAsync(IDockerClient docker)
    {
        var count = 0;
        foreach (var gateway in _gateways)
        {
            count += (await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = DockerFilters.Labels($"epsilon.gateway={gateway.Id}"),
            })).Count;
        }

        return count;
    }

    /// <summary>CPU time the gateways used so far, together.</summary>
    public TimeSpan CpuTime() => _gateways.Aggregate(TimeSpan.Zero, (sum, g) => sum + g.CpuTime());

    public async ValueTask DisposeAsync()
    {
        await _balancer.DisposeAsync();
        await Task.WhenAll(_gateways.Select(g => g.DisposeAsync().AsTask()));
    }
}
