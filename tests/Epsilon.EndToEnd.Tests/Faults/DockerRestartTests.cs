using Docker.DotNet.Models;
using Epsilon.Core.Docker;
using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Fleet;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.EndToEnd.Tests.Operations;

namespace Epsilon.EndToEnd.Tests.Faults;

/// <summary>
/// dockerd restarted under load, the gateway running on: its containers die with the daemon and their exit watches
/// break; calls meanwhile get a JSON error at once, calls after it succeed on new containers, and the dead ones are
/// removed once the daemon answers again (no orphan), without restarting the gateway.
/// </summary>
[Collection(DockerRestartCollection.Name)]
public sealed class DockerRestartTests
{
    [Fact]
    public async Task DockerdRestartedUnderLoad_CallsFailClearlyThenServeAgain_AndNoContainerIsLeft()
    {
        await using var platform = await ProcessPlatform.CreateAsync(StoreProvider.Sqlite);
        using var repository = await TextFunction.ServeAsync(platform, "restart-hello", "hi", "    concurrency: 64\n");
        using var docker = DockerClientFactory.Create();
        var before = (await Containers.OfGatewayAsync(docker, platform.GatewayId)).Select(c => c.ID).ToList();
        Assert.NotEmpty(before);

        var load = new SteadyLoad(platform.Gateway, [$"{platform.GatewayUrl}/restart-hello/"], workers: 2, TimeSpan.FromMilliseconds(100));
        await using (load)
        {
            await load.WaitForAsync(10, TimeSpan.FromSeconds(60), () => platform.GatewayOutput);
            try
            {
                await DockerDaemon.StopAsync();
                // Calls while no daemon answers: the load keeps going and records what they got.
                await Task.Delay(TimeSpan.FromSeconds(3));
            }
            finally
            {
                await DockerDaemon.EnsureRunningAsync();
            }

            // The same gateway, never restarted, serves again on containers it starts on the restarted daemon.
            await load.WaitForAsync(20, TimeSpan.FromMinutes(2), () => platform.GatewayOutput);
        }

        // During the outage a call failed with a JSON error naming what went wrong, never by hanging or a dropped connection.
        Assert.All(load.Failures, failure => Assert.Matches(@"^\S+: 50[23] \{""error"":\{", failure));
        Assert.Contains(load.Failures, failure => failure.Contains("Docker is unreachable", StringComparison.Ordinal)
            || failure.Contains("\"code\":\"Function", StringComparison.Ordinal));

        // The containers the daemon stopped, and those whose start it failed, are removed once it answers again (the
        // removal is retried): what is left runs. The base images are still there: they live in /var/lib/docker.
        await Containers.WaitUntilAsync(async () => (await Containers.OfGatewayAsync(docker, platform.GatewayId))
                .All(c => !before.Contains(c.ID) && c.State is "running" or "paused"),
            TimeSpan.FromMinutes(3), () => $"containers of the outage are left:\n{platform.GatewayOutput}");
        await docker.Images.InspectImageAsync("epsilon/runtime-node:latest");
        Assert.Equal((200, "hi"), await platform.CallAsync("restart-hello"));
    }
}
