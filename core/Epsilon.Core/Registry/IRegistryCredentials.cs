using Docker.DotNet.Models;

namespace Epsilon.Core.Registry;

/// <summary>
/// The credentials the builder pushes with and the gateway pulls with. A seam rather than options alone because some
/// registries (Amazon ECR) hand out short-lived tokens that must be fetched and renewed.
/// </summary>
public interface IRegistryCredentials
{
    /// <summary>Credentials for the Engine API's X-Registry-Auth, or null for an open registry.</summary>
    ValueTask<AuthConfig?> GetAsync(CancellationToken cancellationToken = default);
}
