using Epsilon.Core.Auth;

namespace Epsilon.Builder.Auth;

/// <summary>Who made a call, set by <see cref="TokenAuthenticationMiddleware"/> on every call it lets through.</summary>
/// <param name="Token">The token it carried; null for a tokenless call let through by its source address or an anonymous endpoint.</param>
internal sealed record ApiCaller(ApiToken? Token)
{
    /// <summary>The caller of <paramref name="context"/>'s request.</summary>
    public static ApiCaller Of(HttpContext context) => context.Features.Get<ApiCaller>() ?? new ApiCaller(Token: null);

    /// <summary>Whether it may deploy <paramref name="repository"/> (as the builder displays it): a token naming repositories is held to them.</summary>
    public bool MayDeploy(string repository) =>
        Token is null || Token.Repositories.Count == 0 || Token.Repositories.Contains(repository, StringComparer.Ordinal);
}
