using Microsoft.Extensions.Options;

namespace Epsilon.Core.Docker;

/// <summary>Creates a Docker client outside dependency injection (tools, tests).</summary>
public static class DockerClientFactory
{
    /// <summary>Creates a client of the daemon the options name (the local socket by default). Dispose it when done.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public static IDockerClient Create(DockerClientOptions? options = null)
    {
        options ??= new DockerClientOptions();
        var failures = DockerClientOptionsValidator.GetFailures(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DockerClientOptions), failures);
        }

        return new DockerClient(options);
    }
}
