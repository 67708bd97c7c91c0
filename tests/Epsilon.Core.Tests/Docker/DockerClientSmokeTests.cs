using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Epsilon.Core.Docker;

/// <summary>The client the hosts register, against the machine's daemon (started by scripts/setup.sh).</summary>
public sealed class DockerClientSmokeTests
{
    [Fact]
    public async Task The_registered_client_pings_the_daemon_and_reads_its_version_speaking_API_1_41()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddDockerClient()
            .BuildServiceProvider();
        var client = provider.GetRequiredService<IDockerClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await client.System.PingAsync(timeout.Token);
        var version = await client.System.GetVersionAsync(timeout.Token);

        Assert.Equal("linux", version.Os);
        Assert.False(string.IsNullOrEmpty(version.Version));
        Assert.InRange(new Version(1, 41), Version.Parse(version.MinAPIVersion!), Version.Parse(version.APIVersion!));
    }

    [Fact]
    public async Task Open_streams_do_not_hold_up_other_calls()
    {
        // A gateway keeps one exit watch (a wait the daemon answers when the container stops) open per running
        // container: more of them than a capped connection pool allows must not queue the next start behind them.
        using var client = DockerClientFactory.Create();
        using var streams = new CancellationTokenSource();
        var open = Enumerable.Range(0, 24)
            .Select(_ => client.System.MonitorEventsAsync(new ContainerEventsParameters(), new Progress<Message>(), streams.Token))
            .ToList();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.System.PingAsync(timeout.Token);
            await client.System.GetVersionAsync(timeout.Token);
        }
        finally
        {
            await streams.CancelAsync();
            await Task.WhenAll(open.Select(stream => stream.ContinueWith(static _ => { }, TaskScheduler.Default)));
        }
    }
}
