using Microsoft.Extensions.Options;
using Npgsql;

namespace Epsilon.Core.Store;

/// <summary>Checks <see cref="StoreOptions"/> at start: the provider's own setting is present and well formed.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        switch (options.Provider)
        {
            case StoreProvider.Sqlite when string.IsNullOrWhiteSpace(options.Path):
                return ValidateOptionsResult.Fail("Epsilon:Store:Path must name the SQLite database file.");
            case StoreProvider.Postgres when string.IsNullOrWhiteSpace(options.ConnectionString):
                return ValidateOptionsResult.Fail("Epsilon:Store:ConnectionString is required when Epsilon:Store:Provider is Postgres.");
            case StoreProvider.Postgres:
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    // The message names the bad keyword, never the password.
                    return ValidateOptionsResult.Fail($"Epsilon:Store:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}");
                }

                return ValidateOptionsResult.Success;
            case StoreProvider.Sqlite:
                return ValidateOptionsResult.Success;
            default:
                return ValidateOptionsResult.Fail($"Epsilon:Store:Provider '{options.Provider}' is not one of Sqlite, Postgres.");
        }
    }
}
