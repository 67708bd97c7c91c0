namespace Epsilon.Core.Docker;

/// <summary>Network endpoints of the Engine API.</summary>
public interface INetworkOperations
{
    /// <summary><c>docker network create</c>: POST /networks/create. 201; 409 name taken.</summary>
    Task<NetworksCreateResponse> CreateNetworkAsync(NetworksCreateParameters parameters, CancellationToken cancellationToken = default);

    /// <summary><c>docker network inspect</c>: GET /networks/{id}. 200; 404 throws <see cref="DockerNetworkNotFoundException"/>.</summary>
    Task<NetworkResponse> InspectNetworkAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>docker network rm</c>: DELETE /networks/{id}. 204; 404.</summary>
    Task DeleteNetworkAsync(string id, CancellationToken cancellationToken = default);
}
