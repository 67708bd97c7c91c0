using Epsilon.Gateway;
using Epsilon.Gateway.Aws;
using Epsilon.Gateway.Containers;
using Epsilon.Gateway.Fleet;
using Epsilon.Gateway.Functions;
using Epsilon.Gateway.Invocation;
using Epsilon.Gateway.Pooling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) => ApplyCallerLimits(kestrel.Limits, gateway.Value));
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<GatewayOptions>>((forwarded, gateway) =>
            TrustedProxies.Configure(forwarded, gateway.Value.TrustedProxies));
        services.AddFunctionStore();
        services.AddFleetOptions();
        services.AddOptions<FleetMemberOptions>().BindConfiguration(FleetMemberOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FleetMemberOptions>, FleetMemberOptionsValidator>());
        services.AddRegistryCredentials();
        services.AddOptions<LifecycleHookOptions>().BindConfiguration(LifecycleHookOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LifecycleHookOptions>, LifecycleHookOptionsValidator>());
        services.AddDockerClient();
        services.AddHttpForwarder();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<ContainerRuntime>();
        services.TryAddSingleton<FunctionTableProvider>();
        services.AddSecretCipher();
        services.TryAddSingleton(sp => new FunctionSecrets(() => sp.GetRequiredService<FunctionTableProvider>().Current,
            sp.GetRequiredService<Epsilon.Core.Secrets.SecretCipher>(), sp.GetRequiredService<ILogger<FunctionSecrets>>()));
        services.TryAddSingleton<ContainerLifecycle>();
        services.TryAddSingleton<IContainerLifecycle>(sp => sp.GetRequiredService<ContainerLifecycle>());
        services.TryAddSingleton<FunctionPools>();
        services.TryAddSingleton<ContainerSweeper>();
        services.TryAddSingleton<IdleReaper>();
        services.TryAddSingleton<CapacityEvictor>();
        services.TryAddSingleton<LocalImageCollector>();
        services.TryAddSingleton<InvocationHandler>();
        services.TryAddSingleton<InFlightCalls>();
        services.TryAddSingleton<FleetMembership>();
        services.TryAddSingleton(sp => new SaturationHints(sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<FleetMemberOptions>>().Value.SaturationHintTtl));
        services.TryAddSingleton<FleetSaturation>();
        services.TryAddSingleton<PeerForwarder>();
        services.TryAddSingleton<LifecycleHookWatcher>();
        services.TryAddSingleton(sp =>
        {
            var member = sp.GetRequiredService<IOptions<FleetMemberOptions>>().Value;
            return new ContainerBudget(member.ResolveMaxContainers(), member.ResolveMaxMemoryBytes());
        });

        // Started in this order and stopped in the reverse. The lifecycle hook watcher first, so it is the last to stop: it
        // completes the termination hook in its StoppedAsync, after the drain and every other service's stop. Then fleet
        // membership, so it leaves the fleet last, once the containers are gone (its drain runs before anything stops, in StoppingAsync); then the table; Docker prepared and
        // the last run's containers removed before the reaper runs; at stop the reaper ends before the sweeper removes
        // what is left.
        services.AddHostedService(sp => sp.GetRequiredService<LifecycleHookWatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<FleetMembership>());
        services.AddHostedService(sp => sp.GetRequiredService<FunctionTableProvider>());
        services.AddHostedService(sp => sp.GetRequiredService<ContainerSweeper>());
        services.AddHostedService(sp => sp.GetRequiredService<IdleReaper>());
        services.AddHostedService(sp => sp.GetRequiredService<CapacityEvictor>());
        services.AddHostedService(sp => sp.GetRequiredService<LocalImageCollector>());
        return services;
    }

    /// <summary>What one caller may send: bounded sizes, and a floor on the pace of a body so a trickle cannot hold a slot.</summary>
    private static void ApplyCallerLimits(KestrelServerLimits limits, GatewayOptions options)
    {
        limits.MaxRequestBodySize = options.MaxRequestBodySize;
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.MinRequestBodyDataRate = options.MinRequestBodyDataRate > 0
            ? new MinDataRate(options.MinRequestBodyDataRate, TimeSpan.FromSeconds(5))
            : null;
    }
}
