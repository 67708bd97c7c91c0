using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Registry;

/// <summary>The user name and password of <see cref="RegistryOptions"/>, or none for an open registry.</summary>
public sealed class StaticRegistryCredentials(IOptions<RegistryOptions> options) : IRegistryCredentials
{
    /// <inheritdoc />
    public ValueTask<AuthConfig?> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(options.Value.ToAuthConfig());
}
