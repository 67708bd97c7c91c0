using Docker.DotNet;
using Docker.DotNet.NativeHttp;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Docker;

/// <summary>Builds Docker.DotNet's client from <see cref="DockerClientOptions"/>: the one place its transport is chosen.</summary>
public static class DockerClientFactory
{
    /// <summary>
    /// Creates a client of the daemon the options name (the local socket by default) speaking their API version, each
    /// non-streaming request bounded by their <see cref="DockerClientOptions.RequestTimeout"/>. Long-lived: make one per
    /// process and dispose it when done.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public static IDockerClient Create(DockerClientOptions? options = null)
    {
        options ??= new DockerClientOptions();
        var failures = DockerClientOptionsValidator.GetFailures(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DockerClientOptions), failures);
        }

        var endpoint = new Uri(options.Endpoint);
        var builder = new DockerClientBuilder()
            .WithEndpoint(endpoint)
            .WithApiVersion(Version.Parse(options.ApiVersion))
            .WithTimeout(options.RequestTimeout);

        // Pooled keep-alive connections (the library's unix and legacy tcp transports connect once per request).
        // Every running function container holds one for its exit watch, a wait the daemon answers when it stops:
        // no cap on them, or starts would queue behind the watches. The daemon is reached directly, never by a proxy.
        var transport = new NativeHttpTransportOptions
        {
            ConfigureHandler = handler =>
            {
                handler.MaxConnectionsPerServer = int.MaxValue;
                handler.UseProxy = false;
            },
        };
        return endpoint.Scheme == "unix"
            ? builder.WithTransportOptions(UnixSocketHandlerFactory.Instance, transport).Build()
            : builder.WithTransportOptions(transport).Build();
    }
}
