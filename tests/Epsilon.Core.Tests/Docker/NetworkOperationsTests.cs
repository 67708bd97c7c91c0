using System.Net;

namespace Epsilon.Core.Docker;

[Collection(DockerCollection.Name)]
public sealed class NetworkOperationsTests(DockerFixture fixture)
{
    [Fact]
    public async Task Create_inspect_attach_a_container_and_delete()
    {
        var name = DockerFixture.NewName("network");
        var created = await fixture.Client.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = name,
            Driver = "bridge",
            Labels = fixture.NewLabels(),
            Internal = true,
        });
        Assert.False(string.IsNullOrEmpty(created.ID));

        var duplicate = await Assert.ThrowsAsync<DockerApiException>(
            () => fixture.Client.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = name, Labels = fixture.NewLabels() }));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var network = await fixture.Client.Networks.InspectNetworkAsync(name);
        Assert.Equal(created.ID, network.ID);
        Assert.Equal(name, network.Name);
        Assert.Equal("bridge", network.Driver);
        Assert.Equal(fixture.RunId, network.Labels![DockerFixture.RunLabel]);

        var containerId = await fixture.CreateContainerAsync("sleep 30", parameters =>
        {
            parameters.HostConfig = new HostConfig { NetworkMode = name, Init = true };
            parameters.NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { [name] = new() { Aliases = ["epsilon-test-alias"] } },
            };
        });
        await fixture.Client.Containers.StartContainerAsync(containerId);

        var container = await fixture.Client.Containers.InspectContainerAsync(containerId);
        var endpoint = container.NetworkSettings.Networks![name];
        Assert.Equal(created.ID, endpoint.NetworkID);
        Assert.True(IPAddress.TryParse(endpoint.IPAddress, out _), $"'{endpoint.IPAddress}' is no IP address");
        Assert.Contains("epsilon-test-alias", endpoint.Aliases!);

        var attached = (await fixture.Client.Networks.InspectNetworkAsync(created.ID)).Containers![containerId];
        Assert.Equal(container.Name.TrimStart('/'), attached.Name);
        Assert.StartsWith($"{endpoint.IPAddress}/", attached.IPv4Address, StringComparison.Ordinal);

        // A network with endpoints cannot go.
        var inUse = await Assert.ThrowsAsync<DockerApiException>(() => fixture.Client.Networks.DeleteNetworkAsync(created.ID));
        Assert.Equal(HttpStatusCode.Forbidden, inUse.StatusCode);

        await fixture.Client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true });
        await fixture.Client.Networks.DeleteNetworkAsync(created.ID);
        await Assert.ThrowsAsync<DockerNetworkNotFoundException>(() => fixture.Client.Networks.InspectNetworkAsync(created.ID));
    }

    [Fact]
    public async Task Inspect_and_delete_of_a_missing_network_throw_DockerNetworkNotFoundException()
    {
        var name = DockerFixture.NewName("missing");

        var exception = await Assert.ThrowsAsync<DockerNetworkNotFoundException>(() => fixture.Client.Networks.InspectNetworkAsync(name));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        await Assert.ThrowsAsync<DockerNetworkNotFoundException>(() => fixture.Client.Networks.DeleteNetworkAsync(name));
    }
}
