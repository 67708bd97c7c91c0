using Epsilon.Builder;
using Epsilon.Builder.Audit;
using Epsilon.Builder.Auth;
using Epsilon.Builder.Deployments;
using Epsilon.Builder.Functions;
using Epsilon.Builder.Garbage;
using Epsilon.Builder.Git;
using Epsilon.Builder.Images;
using Epsilon.Builder.Limits;
using Epsilon.Builder.Runtimes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the builder's services.</summary>
public static class BuilderHostingExtensions
{
    /// <summary>Adds the deploy pipeline: options, store, Docker client, git, image builds and the deployment runner.</summary>
    public static IServiceCollection AddEpsilonBuilder(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<BuilderOptions>().BindConfiguration(BuilderOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BuilderOptions>, BuilderOptionsValidator>());
        services.AddOptions<BuilderAuthOptions>().BindConfiguration(BuilderAuthOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BuilderAuthOptions>, BuilderAuthOptionsValidator>());
        services.AddFunctionStore();
        services.AddFleetOptions();
        services.AddRegistryCredentials();
        services.AddDockerClient();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RuntimeCatalog>();
        services.TryAddSingleton<GitFetcher>();
        services.TryAddSingleton<FunctionImageBuilder>();
        services.TryAddSingleton<RolloutWaiter>();
        services.TryAddSingleton<SourceFingerprint>();
        services.TryAddSingleton<FunctionLifecycle>();
        services.AddSecretCipher();
        services.TryAddSingleton<ConfigChanges>();
        services.AddRegistryImageRemover();
        services.AddOptions<PlatformLimitsOptions>().BindConfiguration(PlatformLimitsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlatformLimitsOptions>, PlatformLimitsOptionsValidator>());
        services.TryAddSingleton<FunctionCeilings>();
        services.TryAddSingleton<BuildNetwork>();
        services.TryAddSingleton<DeploymentRunner>();
        services.TryAddSingleton<StaleVersions>();
        services.TryAddSingleton<Rebuilds>();
        services.AddHostedService<BootstrapTokenService>();
        services.AddHostedService(sp => sp.GetRequiredService<DeploymentRunner>());
        services.AddHostedService<AuditRetentionService>();
        services.TryAddSingleton<GarbageCollector>();
        services.AddHostedService<GarbageCollectionService>();
        return services;
    }
}
