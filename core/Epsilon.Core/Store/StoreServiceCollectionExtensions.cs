using Epsilon.Core.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the function store.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IFunctionStore"/> bound from <c>Epsilon:Store</c>: SQLite by default, PostgreSQL when
    /// <see cref="StoreOptions.Provider"/> says so. Options are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddFunctionStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RelationalFunctionStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StoreOptions>>();
            var timeProvider = provider.GetRequiredService<TimeProvider>();
            return options.Value.Provider == StoreProvider.Postgres
                ? new PostgresFunctionStore(options, timeProvider)
                : new SqliteFunctionStore(options, timeProvider);
        });
        services.TryAddSingleton<IFunctionStore>(provider => provider.GetRequiredService<RelationalFunctionStore>());
        services.TryAddSingleton<IFleetStore>(provider => provider.GetRequiredService<RelationalFunctionStore>());
        services.TryAddSingleton<IApiTokenStore>(provider => provider.GetRequiredService<RelationalFunctionStore>());
        services.TryAddSingleton<IFunctionKeyStore>(provider => provider.GetRequiredService<RelationalFunctionStore>());
        services.TryAddSingleton<IFunctionConfigStore>(provider => provider.GetRequiredService<RelationalFunctionStore>());
        services.TryAddSingleton<IAuditStore>(provider => provider.GetRequiredService<RelationalFunctionStore>());
        services.TryAddSingleton<IAliasStore>(provider => provider.GetRequiredService<RelationalFunctionStore>());
        services.TryAddSingleton<IGarbageStore>(provider => provider.GetRequiredService<RelationalFunctionStore>());
        return services;
    }
}
