using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.Gateway;

namespace Epsilon.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ContainerLifecycleTests(PlatformFixture platform)
{
    [Fact]
    public async Task IdleContainer_IsRemovedAfterItsIdleTimeout()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  sleepy:\n    handler: index.js:sleepy\n    idleTimeout: 1s\n",
            ["index.js"] = Functions.Text("sleepy", "zzz"),
        });
        await platform.DeployOkAsync(repository.Path);

        Assert.Equal("zzz", await platform.Gateway.GetStringAsync("/sleepy/"));
        Assert.Single(await platform.ContainersAsync(platform.GatewayId, "sleepy"));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && (await platform.ContainersAsync(platform.GatewayId, "sleepy")).Count > 0)
        {
            await Task.Delay(250);
        }

        Assert.Empty(await platform.ContainersAsync(platform.GatewayId, "sleepy"));
        Assert.Equal("zzz", await platform.Gateway.GetStringAsync("/sleepy/"));
    }

    [Fact]
    public async Task IdleContainer_IsPaused_AndTheNextCallThawsTheSameContainer()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  frozen:\n    handler: echo.js:echo\n",
            ["echo.js"] = Functions.Echo,
        });
        await platform.DeployOkAsync(repository.Path);
        var first = await platform.Gateway.GetFromJsonAsync<JsonElement>("/frozen/");
        var container = Assert.Single(await platform.ContainersAsync(platform.GatewayId, "frozen"));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !(await platform.Docker.Containers.InspectContainerAsync(container.ID)).State!.Paused)
        {
            await Task.Delay(200);
        }

        Assert.True((await platform.Docker.Containers.InspectContainerAsync(container.ID)).State!.Paused, "the idle container was not paused");
        var second = await platform.Gateway.GetFromJsonAsync<JsonElement>("/frozen/");

        Assert.Equal(first.GetProperty("calls").GetInt32() + 1, second.GetProperty("calls").GetInt32());
        Assert.False((await platform.Docker.Containers.InspectContainerAsync(container.ID)).State!.Paused);
        Assert.Equal(container.ID, Assert.Single(await platform.ContainersAsync(platform.GatewayId, "frozen")).ID);
    }

    [Fact]
    public async Task Containers_RunAsNonRootWithLimitsAndLabels()
    {
        await platform.EnsureEchoAsync();
        using (var call = await platform.Gateway.GetAsync("/echo/labels"))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        var container = Assert.Single(await platform.ContainersAsync(platform.GatewayId, "echo"));
        var inspect = await platform.Docker.Containers.InspectContainerAsync(container.ID);

        Assert.Equal("10001:10001", inspect.Config!.User);
        Assert.Equal("true", inspect.Config.Labels!["epsilon.managed"]);
        Assert.Equal("1", inspect.Config.Labels["epsilon.version"]);
        Assert.True(inspect.NetworkSettings!.Networks!.ContainsKey("epsilon"));
    }

    [Fact]
    public async Task RestartedGateway_RemovesTheContainersItLeft_AndAStoppedOneLeavesNone()
    {
        await platform.EnsureEchoAsync();
        var id = "e2e-restart-" + Guid.NewGuid().ToString("N")[..6];

        var first = GatewayApplication.Build(platform.GatewayArguments(id, removeOnStop: false));
        await first.StartAsync();
        using (var client = PlatformFixture.ClientOf(first))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo-wide/left-behind")).StatusCode);
        }

        await first.StopAsync();
        await first.DisposeAsync();
        Assert.Single(await platform.ContainersAsync(id));

        var second = GatewayApplication.Build(platform.GatewayArguments(id, removeOnStop: true));
        await second.StartAsync();
        Assert.Empty(await platform.ContainersAsync(id));
        using (var client = PlatformFixture.ClientOf(second))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo-wide/again")).StatusCode);
        }

        Assert.Single(await platform.ContainersAsync(id));
        await second.StopAsync();
        await second.DisposeAsync();
        Assert.Empty(await platform.ContainersAsync(id));
    }
}
