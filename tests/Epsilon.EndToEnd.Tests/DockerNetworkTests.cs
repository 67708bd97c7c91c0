using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.Gateway;

namespace Epsilon.EndToEnd.Tests;

/// <summary>The gateway's network against the real daemon, on a network of the test's own so no other gateway is touched.</summary>
[Collection(PlatformCollection.Name)]
public sealed class DockerNetworkTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_network_removed_while_the_gateway_runs_is_made_again_by_the_next_cold_start()
    {
        await platform.EnsureEchoAsync();
        var id = "e2e-network-" + Guid.NewGuid().ToString("N")[..6];
        var network = "epsilon-" + id;
        var gateway = GatewayApplication.Build([.. platform.GatewayArguments(id, removeOnStop: true), $"--Epsilon:Gateway:Network={network}"]);
        await gateway.StartAsync();
        try
        {
            using var client = PlatformFixture.ClientOf(gateway);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo-wide/before")).StatusCode);

            // What a `docker network prune` does once the network has no container left.
            foreach (var container in await platform.ContainersAsync(id))
            {
                await platform.Docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }

            await platform.Docker.Networks.DeleteNetworkAsync(network);
            await WaitUntilNoContainerAsync(client);

            // The start is refused with a 404 that names the network, not the container: the gateway makes the network
            // again and starts a new container on it.
            using var after = await client.GetAsync("/echo-wide/after");
            Assert.True(after.StatusCode == HttpStatusCode.OK, await after.Content.ReadAsStringAsync());
            var container2 = Assert.Single(await platform.ContainersAsync(id));
            var inspect = await platform.Docker.Containers.InspectContainerAsync(container2.ID);
            Assert.True(inspect.NetworkSettings!.Networks!.ContainsKey(network));
        }
        finally
        {
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            try
            {
                await platform.Docker.Networks.DeleteNetworkAsync(network);
            }
            catch (DockerNetworkNotFoundException)
            {
            }
        }
    }

    /// <summary>The gateway learns of a removed container from its exit watch; until then a call may still reach it.</summary>
    private static async Task WaitUntilNoContainerAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var metrics = await client.GetFromJsonAsync<JsonElement>("/_epsilon/metrics");
            if (!metrics.GetProperty("containers").EnumerateObject().Any(state => state.Name is "ready" or "paused" && state.Value.GetInt32() > 0))
            {
                return;
            }

            await Task.Delay(100);
        }
    }
}
