using Epsilon.Core.Secrets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the secrets' key and cipher, shared by the builder and the gateway.</summary>
public static class SecretsServiceCollectionExtensions
{
    /// <summary>Binds <see cref="SecretsOptions"/> from <c>Epsilon:Secrets</c>, validated at start, and adds <see cref="SecretCipher"/>.</summary>
    public static IServiceCollection AddSecretCipher(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>());
        services.TryAddSingleton<SecretCipher>();
        return services;
    }
}
