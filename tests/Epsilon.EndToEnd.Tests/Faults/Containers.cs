using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Core.Docker;

namespace Epsilon.EndToEnd.Tests.Faults;

/// <summary>What the fault tests look at in Docker after a fault: a gateway's containers, and waiting for an outcome.</summary>
internal static class Containers
{
    /// <summary>Every container labelled with <paramref name="gatewayId"/>, running or not.</summary>
    public static async Task<IList<ContainerListResponse>> OfGatewayAsync(IDockerClient docker, string gatewayId) =>
        await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerFilters.Labels($"epsilon.gateway={gatewayId}"),
        });

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test with <paramref name="context"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, context());
            await Task.Delay(500);
        }
    }
}
