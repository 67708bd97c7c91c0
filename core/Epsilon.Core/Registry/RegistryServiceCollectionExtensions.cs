using Epsilon.Core.Registry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers registry options.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>Binds <see cref="RegistryOptions"/> from <c>Epsilon:Registry</c> and validates it at start.</summary>
    public static IServiceCollection AddRegistryOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Address) && !o.Address.Contains('/', StringComparison.Ordinal),
                "Epsilon:Registry:Address must be a host[:port] such as 127.0.0.1:5000.")
            .ValidateOnStart();
        return services;
    }
}
