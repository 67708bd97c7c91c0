namespace Epsilon.Core.Docker;

/// <summary>The network endpoints over a <see cref="DockerHttpTransport"/>.</summary>
internal sealed class NetworkOperations(DockerHttpTransport transport) : INetworkOperations
{
    public Task<NetworksCreateResponse> CreateNetworkAsync(NetworksCreateParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return transport.SendAsync(
            HttpMethod.Post,
            "networks/create",
            null,
            DockerHttpTransport.JsonContent(parameters, DockerJsonContext.Default.NetworksCreateParameters),
            DockerJsonContext.Default.NetworksCreateResponse,
            DockerErrors.Default,
            cancellationToken);
    }

    public Task<NetworkResponse> InspectNetworkAsync(string id, CancellationToken cancellationToken = default) =>
        transport.SendAsync(
            HttpMethod.Get,
            $"networks/{DockerHttpTransport.EscapePath(id)}",
            null,
            null,
            DockerJsonContext.Default.NetworkResponse,
            DockerErrors.Network,
            cancellationToken);

    public Task DeleteNetworkAsync(string id, CancellationToken cancellationToken = default) =>
        transport.SendAsync(HttpMethod.Delete, $"networks/{DockerHttpTransport.EscapePath(id)}", null, null, DockerErrors.Network, cancellationToken);
}
