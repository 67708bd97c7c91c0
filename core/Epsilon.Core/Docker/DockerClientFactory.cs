using Docker.DotNet;
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

        return new DockerClientBuilder()
            .WithEndpoint(new Uri(options.Endpoint))
            .WithApiVersion(Version.Parse(options.ApiVersion))
            .WithTimeout(options.RequestTimeout)
            .Build();
    }
}
