namespace Epsilon.Core.Docker;

/// <summary>
/// A client of the Docker Engine API (HTTP/JSON over the daemon's unix socket), shaped like
/// Docker.DotNet's <c>IDockerClient</c>: one property per endpoint group.
/// </summary>
public interface IDockerClient : IDisposable
{
    /// <summary>Container endpoints (<c>/containers</c>).</summary>
    IContainerOperations Containers { get; }

    /// <summary>Image endpoints (<c>/images</c>, <c>/build</c>).</summary>
    IImageOperations Images { get; }

    /// <summary>Network endpoints (<c>/networks</c>).</summary>
    INetworkOperations Networks { get; }

    /// <summary>System endpoints (<c>/_ping</c>, <c>/version</c>, <c>/events</c>).</summary>
    ISystemOperations System { get; }
}
