using Docker.DotNet.Models;
using Epsilon.Core.Docker;
using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.EndToEnd.Tests.Operations;

namespace Epsilon.EndToEnd.Tests.Faults;

/// <summary>The gateway of a single VM killed with SIGKILL and started again: what it left is removed, its functions serve.</summary>
public sealed class GatewayKilledTests
{
    [Fact]
    public async Task GatewayKilledAndRestarted_RemovesItsPreviousContainers_AndServesAgain()
    {
        await using var platform = await ProcessPlatform.CreateAsync(StoreProvider.Sqlite);
        using var repository = await TextFunction.ServeAsync(platform, "killed-hello", "hi");
        using var docker = DockerClientFactory.Create();
        var before = (await Containers.OfGatewayAsync(docker, platform.GatewayId)).Select(c => c.ID).ToList();
        Assert.NotEmpty(before);

        await platform.KillGatewayAsync();
        // A killed gateway cleans nothing up: its containers outlive it.
        Assert.Equal(before.Order(), (await Containers.OfGatewayAsync(docker, platform.GatewayId)).Select(c => c.ID).Order());

        await platform.StartGatewayAsync();
        Assert.Equal((200, "hi"), await platform.CallAsync("killed-hello"));
        await Containers.WaitUntilAsync(async () => (await Containers.OfGatewayAsync(docker, platform.GatewayId)).All(c => !before.Contains(c.ID)),
            TimeSpan.FromSeconds(60), () => $"the previous run's containers are left:\n{platform.GatewayOutput}");
        var after = await Containers.OfGatewayAsync(docker, platform.GatewayId);
        Assert.Single(after);
        Assert.Contains(after[0].State, new[] { "running", "paused" });
    }
}
