namespace Epsilon.Core.Docker;

/// <summary>Container endpoints of the Engine API.</summary>
public interface IContainerOperations
{
    /// <summary><c>docker create</c>: POST /containers/create?name=. 201; 404 image missing; 409 name taken.</summary>
    Task<CreateContainerResponse> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken = default);

    /// <summary><c>docker start</c>: POST /containers/{id}/start. 204; false on 304 (already started); 404.</summary>
    Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>docker stop -t</c>: POST /containers/{id}/stop?t=. 204; false on 304 (already stopped); 404.</summary>
    Task<bool> StopContainerAsync(string id, int? waitBeforeKillSeconds = null, CancellationToken cancellationToken = default);

    /// <summary><c>docker kill -s</c>: POST /containers/{id}/kill?signal=. 204; 404; 409 not running.</summary>
    Task KillContainerAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default);

    /// <summary><c>docker pause</c>: POST /containers/{id}/pause. 204; 404.</summary>
    Task PauseContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>docker unpause</c>: POST /containers/{id}/unpause. 204; 404.</summary>
    Task UnpauseContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>docker rm [-f] [-v]</c>: DELETE /containers/{id}?force=&amp;v=. 204; 404; 409.</summary>
    Task RemoveContainerAsync(string id, ContainerRemoveParameters? parameters = null, CancellationToken cancellationToken = default);

    /// <summary><c>docker inspect</c>: GET /containers/{id}/json. 200; 404.</summary>
    Task<ContainerInspectResponse> InspectContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>docker ps [-a] --filter label=</c>: GET /containers/json?all=&amp;filters=. 200.</summary>
    Task<IReadOnlyList<ContainerListResponse>> ListContainersAsync(ContainersListParameters parameters, CancellationToken cancellationToken = default);

    /// <summary><c>docker wait</c>: POST /containers/{id}/wait. 200 when the container stops; 404. Unbounded: pass a token.</summary>
    Task<ContainerWaitResponse> WaitContainerAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>docker logs [-f]</c>: GET /containers/{id}/logs. The multiplexed stream (no TTY) demultiplexed into
    /// lines tagged stdout or stderr. With <see cref="ContainerLogsParameters.Follow"/> it ends when the container stops.
    /// </summary>
    IAsyncEnumerable<ContainerLogLine> GetContainerLogsAsync(string id, ContainerLogsParameters parameters, CancellationToken cancellationToken = default);
}
