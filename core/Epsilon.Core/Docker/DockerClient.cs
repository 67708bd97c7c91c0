using Microsoft.Extensions.Options;

namespace Epsilon.Core.Docker;

/// <summary>The Engine API client: one connection pool to the daemon shared by the endpoint groups.</summary>
internal sealed class DockerClient : IDockerClient
{
    public DockerClient(IOptions<DockerClientOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value)
    {
    }

    internal DockerClient(DockerClientOptions options)
    {
        Transport = new DockerHttpTransport(options);
        Containers = new ContainerOperations(Transport);
        Images = new ImageOperations(Transport);
        Networks = new NetworkOperations(Transport);
        System = new SystemOperations(Transport);
    }

    public IContainerOperations Containers { get; }

    public IImageOperations Images { get; }

    public INetworkOperations Networks { get; }

    public ISystemOperations System { get; }

    /// <summary>The raw transport, for the few calls the interfaces do not cover (tests clean up by label with it).</summary>
    internal DockerHttpTransport Transport { get; }

    public void Dispose() => Transport.Dispose();
}
