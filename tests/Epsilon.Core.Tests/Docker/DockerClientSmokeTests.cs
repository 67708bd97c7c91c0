using Docker.DotNet;
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
}
