using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Registry;

/// <summary>
/// The user name and password of <see cref="RegistryOptions"/> (the password given as is or read from
/// <see cref="RegistryOptions.PasswordFile"/>), or none for an open registry.
/// </summary>
public sealed class StaticRegistryCredentials(IOptions<RegistryOptions> options) : IRegistryCredentials
{
    /// <inheritdoc />
    public async ValueTask<AuthConfig?> GetAsync(CancellationToken cancellationToken = default)
    {
        var registry = options.Value;
        if (string.IsNullOrEmpty(registry.Username) || string.IsNullOrEmpty(registry.PasswordFile))
        {
            return registry.ToAuthConfig();
        }

        try
        {
            var password = await File.ReadAllTextAsync(registry.PasswordFile, cancellationToken).ConfigureAwait(false);
            return registry.ToAuthConfig(password.TrimEnd('\r', '\n'));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The file's path and the reason only: the exception of a read never carries the content.
            throw new InvalidOperationException($"Epsilon:Registry:PasswordFile '{registry.PasswordFile}' cannot be read: {ex.Message}", ex);
        }
    }
}
