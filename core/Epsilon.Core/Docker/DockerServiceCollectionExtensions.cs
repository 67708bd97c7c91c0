using Docker.DotNet;
using Epsilon.Core.Docker;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Docker Engine API client.</summary>
public static class DockerServiceCollectionExtensions
{
    /// <summary>
    /// Adds one long-lived Docker.DotNet <see cref="IDockerClient"/> built from the <c>Epsilon:Docker</c> section
    /// (<see cref="DockerClientOptions"/>), validated when the host starts.
    /// </summary>
    public static IServiceCollection AddDockerClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<DockerClientOptions>()
            .BindConfiguration(DockerClientOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DockerClientOptions>, DockerClientOptionsValidator>());
        services.TryAddSingleton<IDockerClient>(provider => DockerClientFactory.Create(provider.GetRequiredService<IOptions<DockerClientOptions>>().Value));
        return services;
    }
}
