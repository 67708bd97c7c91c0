using Epsilon.Aws;
using Epsilon.Aws.AutoScaling;
using Epsilon.Aws.Credentials;
using Epsilon.Aws.Ecr;
using Epsilon.Aws.Metadata;
using Epsilon.Core.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AWS clients and the ECR registry credentials.</summary>
public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AwsOptions"/> from <c>Epsilon:Aws</c> and adds the signed AWS client, the credential chain,
    /// ECR, Auto Scaling and the instance metadata client. Nothing here calls AWS until a feature asks it to.
    /// </summary>
    public static IServiceCollection AddAwsClients(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AwsOptions>().BindConfiguration(AwsOptions.SectionName)
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Epsilon:Aws:RequestTimeout must be positive.")
            .Validate(o => o.EcrTokenRefreshMargin >= TimeSpan.Zero, "Epsilon:Aws:EcrTokenRefreshMargin must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new AwsCredentialsProvider());
        services.TryAddSingleton<AwsClient>();
        services.TryAddSingleton<EcrClient>();
        services.TryAddSingleton<AutoScalingClient>();
        services.TryAddSingleton<InstanceMetadataClient>();
        return services;
    }

    /// <summary>
    /// Registry credentials by <c>Epsilon:Registry:Provider</c>: the static user and password, or Amazon ECR's token
    /// (<see cref="RegistryProvider.Ecr"/>, which needs <c>Epsilon:Aws:Region</c>). Replaces the static default
    /// <see cref="RegistryServiceCollectionExtensions.AddRegistryOptions"/> registers.
    /// </summary>
    public static IServiceCollection AddRegistryCredentials(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRegistryOptions();
        services.AddAwsClients();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, EcrRegistryOptionsValidator>());
        services.TryAddSingleton<EcrRegistryCredentials>();
        services.Replace(ServiceDescriptor.Singleton<IRegistryCredentials>(sp =>
            sp.GetRequiredService<IOptions<RegistryOptions>>().Value.Provider == RegistryProvider.Ecr
                ? sp.GetRequiredService<EcrRegistryCredentials>()
                : sp.GetRequiredService<StaticRegistryCredentials>()));
        // Deleted functions' images: ECR refuses manifest deletes through its registry API, so it gets its own call.
        services.AddRegistryImageRemover();
        services.TryAddSingleton<EcrImageRemover>();
        services.Replace(ServiceDescriptor.Singleton<IRegistryImageRemover>(sp =>
            sp.GetRequiredService<IOptions<RegistryOptions>>().Value.Provider == RegistryProvider.Ecr
                ? sp.GetRequiredService<EcrImageRemover>()
                : sp.GetRequiredService<DistributionImageRemover>()));
        return services;
    }
}
