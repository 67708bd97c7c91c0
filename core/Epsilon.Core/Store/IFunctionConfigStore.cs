using Epsilon.Core.Model;
using Epsilon.Core.Secrets;

namespace Epsilon.Core.Store;

/// <summary>
/// A function's environment overrides and secrets, kept apart from its manifest. Each change makes a new version from the
/// live one (same image, the changed configuration) and makes it live in the same transaction, as a rollback does; every
/// later deploy carries the overrides and the secrets' names into its versions.
/// </summary>
public interface IFunctionConfigStore
{
    /// <summary>Sets and unsets variables of <paramref name="function"/> in a new live version.</summary>
    Task<ConfigChangeResult> ChangeEnvAsync(string function, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> unset,
        CancellationToken cancellationToken = default);

    /// <summary>Sets a secret's (encrypted) value, and its name in a new live version.</summary>
    Task<ConfigChangeResult> SetSecretAsync(string function, string name, EncryptedSecret value, CancellationToken cancellationToken = default);

    /// <summary>Removes a secret, and its name in a new live version.</summary>
    Task<ConfigChangeResult> RemoveSecretAsync(string function, string name, CancellationToken cancellationToken = default);

    /// <summary>The variables set or unset on <paramref name="function"/> outside its manifest, by name.</summary>
    Task<IReadOnlyList<EnvOverride>> ListEnvOverridesAsync(string function, CancellationToken cancellationToken = default);

    /// <summary>The secrets of <paramref name="function"/>, by name, without values.</summary>
    Task<IReadOnlyList<SecretInfo>> ListSecretsAsync(string function, CancellationToken cancellationToken = default);

    /// <summary>Every existing function's encrypted secrets: what gateways load with their function table.</summary>
    Task<IReadOnlyList<StoredSecret>> ListStoredSecretsAsync(CancellationToken cancellationToken = default);
}
