namespace Epsilon.Builder.Auth;

/// <summary>Who may call the builder's API. Bound from <c>Epsilon:Builder:Auth</c>.</summary>
public sealed class BuilderAuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Builder:Auth";

    /// <summary>
    /// A first admin token's secret (at least 32 characters). Hashed at start and kept as the admin token named
    /// <c>bootstrap</c>; changing it replaces that token's secret. Never logged. Empty: none.
    /// </summary>
    public string? BootstrapToken { get; set; }

    /// <summary>
    /// Addresses or networks (<c>127.0.0.1</c>, <c>10.0.0.0/8</c>) allowed to call the eserveless <c>POST /api/projects</c>
    /// without a token, since eserveless's own CLI sends none. Unset: loopback only. <c>none</c>: nowhere.
    /// </summary>
    public string[]? UnauthenticatedProjectSources { get; set; }
}
