namespace Epsilon.Builder.Git;

/// <summary>
/// A credential for one private Git host (<c>Epsilon:Builder:GitCredentials:N</c>): for GitHub, a fine-grained token
/// with read access to the repositories' contents, user name <c>x-access-token</c>.
/// </summary>
public sealed class GitCredential
{
    /// <summary>The host it is sent to, e.g. <c>github.com</c> or <c>git.example.com:8443</c>; to no other.</summary>
    public string Host { get; set; } = "";

    /// <summary>The user name of HTTP basic auth.</summary>
    public string Username { get; set; } = "x-access-token";

    /// <summary>The password or token itself; prefer <see cref="PasswordFile"/>.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the password or token (its trailing line break dropped), read at each fetch.</summary>
    public string? PasswordFile { get; set; }
}
