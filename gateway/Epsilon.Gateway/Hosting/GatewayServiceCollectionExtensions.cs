using Epsilon.Gateway;
using Epsilon.Gateway.Containers;
using Epsilon.Gateway.Functions;
using Epsilon.Gateway.Invocation;
using Epsilon.Gateway.Pooling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gateway's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Adds routing, the container pool and forwarding: options, store, Docker client and YARP's forwarder.</summary>
    public static IServiceCollection AddEpsilonGateway(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.AddFunctionStore();
        services.AddRegistryOptions();
        services.AddDockerClient();
        services.AddHttpForwarder();
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<ContainerRuntime>();
        services.TryAddSingleton<FunctionTableProvider>();
        services.TryAddSingleton<ContainerPool>();
        services.TryAddSingleton<InvocationHandler>();
        services.AddHostedService(sp => sp.GetRequiredService<FunctionTableProvider>());
        services.AddHostedService(sp => sp.GetRequiredService<ContainerPool>());
        return services;
    }
}
