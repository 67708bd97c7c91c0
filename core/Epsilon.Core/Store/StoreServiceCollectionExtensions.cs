using Epsilon.Core.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the function store.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IFunctionStore"/> on SQLite, bound from <c>Epsilon:Store</c>.</summary>
    public static IServiceCollection AddFunctionStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Epsilon:Store:Path must name the SQLite database file.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFunctionStore, SqliteFunctionStore>();
        return services;
    }
}
