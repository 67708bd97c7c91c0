using Epsilon.Core.Fleet;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the fleet's shared options.</summary>
public static class FleetServiceCollectionExtensions
{
    /// <summary>Adds <see cref="FleetOptions"/> bound from <c>Epsilon:Fleet</c>, validated when the host starts.</summary>
    public static IServiceCollection AddFleetOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<FleetOptions>().BindConfiguration(FleetOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>());
        return services;
    }
}
