using Epsilon.Core.Contracts;
using Epsilon.Core.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers registry options and the static registry credentials.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>Binds <see cref="RegistryOptions"/> from <c>Epsilon:Registry</c> and validates it at start.</summary>
    public static IServiceCollection AddRegistryOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.SectionName)
            .Validate(o => ImageReference.IsRegistryAddress(o.Address),
                "Epsilon:Registry:Address must be a registry host[:port] that Docker reads as one (a name with a dot or a port, or localhost), such as 127.0.0.1:5000.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>());
        services.TryAddSingleton<StaticRegistryCredentials>();
        services.TryAddSingleton<IRegistryCredentials>(sp => sp.GetRequiredService<StaticRegistryCredentials>());
        return services;
    }

    /// <summary>Adds the removal of deleted functions' images through the Distribution registry's HTTP API.</summary>
    public static IServiceCollection AddRegistryImageRemover(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRegistryOptions();
        services.TryAddSingleton<DistributionImageRemover>();
        services.TryAddSingleton<IRegistryImageRemover>(sp => sp.GetRequiredService<DistributionImageRemover>());
        return services;
    }
}
