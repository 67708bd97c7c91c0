using Epsilon.Core.Auth;

namespace Epsilon.Builder.Auth;

/// <summary>
/// Endpoint metadata: the scope a call needs. An endpoint without it needs an admin token, so one mapped and forgotten
/// fails closed.
/// </summary>
/// <param name="Scope">The least scope that may call it.</param>
/// <param name="AllowListedSources">Whether a call without a token from <see cref="BuilderAuthOptions.UnauthenticatedProjectSources"/> is let through.</param>
internal sealed record RequiredScope(TokenScope Scope, bool AllowListedSources = false)
{
    /// <summary>Marks an endpoint that anyone may call (health).</summary>
    public static readonly RequiredScope Anonymous = new((TokenScope)0);
}

/// <summary>Puts <see cref="RequiredScope"/> on endpoints.</summary>
internal static class RequiredScopeExtensions
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, TokenScope scope, bool allowListedSources = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope, allowListedSources));

    public static TBuilder AllowAnyCaller<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RequiredScope.Anonymous);
}
