namespace Epsilon.Core.Docker;

/// <summary>System endpoints of the Engine API.</summary>
public interface ISystemOperations
{
    /// <summary>GET /_ping. 200 "OK".</summary>
    Task PingAsync(CancellationToken cancellationToken = default);

    /// <summary><c>docker version</c>: GET /version.</summary>
    Task<VersionResponse> GetVersionAsync(CancellationToken cancellationToken = default);

    /// <summary><c>docker events --filter</c>: GET /events?filters=. Unbounded stream: pass a token.</summary>
    IAsyncEnumerable<DockerEvent> MonitorEventsAsync(EventsParameters parameters, CancellationToken cancellationToken = default);
}
