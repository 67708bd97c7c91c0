using Docker.DotNet.Models;
using Epsilon.Core.Contracts;

namespace Epsilon.Core.Registry;

/// <summary>The image registry builders push to and gateways pull from. Bound from <c>Epsilon:Registry</c>.</summary>
public sealed class RegistryOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Registry";

    /// <summary>Registry host and port; images are named <c>{Address}/{function}:v{N}</c>.</summary>
    public string Address { get; set; } = "127.0.0.1:5000";

    /// <summary>
    /// Where the credentials come from: <see cref="RegistryProvider.Static"/> (the user name and password below) or
    /// <see cref="RegistryProvider.Ecr"/> (Amazon ECR's token, with <c>Epsilon:Aws:Region</c>).
    /// </summary>
    public RegistryProvider Provider { get; set; } = RegistryProvider.Static;

    /// <summary>User name, when the registry needs one.</summary>
    public string? Username { get; set; }

    /// <summary>Password or token, when the registry needs one (or <see cref="PasswordFile"/>). Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// A file holding the password (its trailing line break is not part of it), read at each push and pull so a
    /// rotated password needs no restart; an alternative to <see cref="Password"/> that keeps it out of the environment.
    /// </summary>
    public string? PasswordFile { get; set; }

    /// <summary>The image reference of a function version (<see cref="ImageReference.ForFunction"/>).</summary>
    public string ImageFor(string function, int version) => ImageReference.ForFunction(Address, function, version).ToString();

    /// <summary>Credentials for the Engine API's X-Registry-Auth, or null for an open registry.</summary>
    /// <param name="password">The password to send; <see cref="Password"/> when omitted.</param>
    public AuthConfig? ToAuthConfig(string? password = null) => string.IsNullOrEmpty(Username)
        ? null
        : new AuthConfig { Username = Username, Password = password ?? Password, ServerAddress = Address };
}
