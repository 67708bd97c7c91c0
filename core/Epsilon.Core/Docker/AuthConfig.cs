using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>Registry credentials, sent base64url-encoded as JSON in the <c>X-Registry-Auth</c> header.</summary>
public sealed class AuthConfig
{
    /// <summary>The user name.</summary>
    [JsonPropertyName("username")]
    public string? Username { get; set; }

    /// <summary>The password or access token.</summary>
    [JsonPropertyName("password")]
    public string? Password { get; set; }

    /// <summary>The registry's address (<c>registry.example.com:5000</c>).</summary>
    [JsonPropertyName("serveraddress")]
    public string? ServerAddress { get; set; }

    /// <summary>An identity token from a previous login, used instead of the password.</summary>
    [JsonPropertyName("identitytoken")]
    public string? IdentityToken { get; set; }
}
