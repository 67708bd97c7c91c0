using Epsilon.Core.Http;

namespace Epsilon.Builder.Auth;

/// <summary>The answers to a refused call: they say that it was refused and nothing about the platform.</summary>
internal static class AuthResults
{
    public const string Realm = "epsilon";

    /// <summary>401: no token, or one the builder does not accept (unknown or revoked: the two read the same).</summary>
    public static IResult Unauthenticated(HttpContext context, bool tokenGiven)
    {
        context.Response.Headers.WWWAuthenticate = tokenGiven ? $"Bearer realm=\"{Realm}\", error=\"invalid_token\"" : $"Bearer realm=\"{Realm}\"";
        return ErrorResults.Create(StatusCodes.Status401Unauthorized, "Unauthorized",
            tokenGiven ? "the token is not valid" : "a token is required: Authorization: Bearer <token>");
    }

    /// <summary>403: a valid token without the scope (or the repository) this needs.</summary>
    public static IResult Forbidden() =>
        ErrorResults.Create(StatusCodes.Status403Forbidden, "Forbidden", "the token does not allow this");
}
