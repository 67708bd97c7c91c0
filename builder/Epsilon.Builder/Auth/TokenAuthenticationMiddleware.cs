using Epsilon.Core.Auth;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Auth;

/// <summary>
/// Lets a call through only with a valid <c>Authorization: Bearer</c> token whose scope covers its endpoint's
/// <see cref="RequiredScope"/>. Looks the token up on every call, so a revocation holds at once.
/// </summary>
internal sealed partial class TokenAuthenticationMiddleware(RequestDelegate next, IApiTokenStore tokens, IOptions<BuilderAuthOptions> options,
    ILogger<TokenAuthenticationMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    private readonly SourceAddressRule _sources = SourceAddressRule.TryParse(options.Value.UnauthenticatedProjectSources, out var rule, out _)
        ? rule
        : throw new InvalidOperationException("Epsilon:Builder:Auth:UnauthenticatedProjectSources is invalid.");

    public async Task InvokeAsync(HttpContext context)
    {
        // No endpoint (an unknown path): a stranger learns no more from it than from a known one.
        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>() ?? new RequiredScope(TokenScope.Admin);
        if (ReferenceEquals(required, RequiredScope.Anonymous))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            if (required.AllowListedSources && _sources.Allows(context.Connection.RemoteIpAddress))
            {
                context.Features.Set(new ApiCaller(Token: null));
                await next(context);
                return;
            }

            context.Features.Set(new RefusedCall(Token: null, "no token"));
            await AuthResults.Unauthenticated(context, tokenGiven: false).ExecuteAsync(context);
            return;
        }

        var secret = header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? header[BearerPrefix.Length..].Trim() : "";
        var token = secret.Length == 0 ? null : await tokens.FindTokenAsync(TokenSecret.Hash(secret), context.RequestAborted);
        if (token is null || token.RevokedAt is not null)
        {
            Log.Refused(logger, context.Request.Method, context.Request.Path, token?.Id);
            context.Features.Set(new RefusedCall(token, token is null ? "unknown token" : "revoked token"));
            await AuthResults.Unauthenticated(context, tokenGiven: true).ExecuteAsync(context);
            return;
        }

        if (!token.Allows(required.Scope))
        {
            Log.OutOfScope(logger, token.Id, token.Scope, context.Request.Method, context.Request.Path);
            context.Features.Set(new RefusedCall(token, $"{TokenGrant.ScopeName(token.Scope)} scope"));
            await AuthResults.Forbidden().ExecuteAsync(context);
            return;
        }

        context.Features.Set(new ApiCaller(token));
        await next(context);
    }

    private static partial class Log
    {
        // Never the secret or its hash: the id of a revoked token at most.
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Refused {Method} {Path}: the token is unknown or revoked (token '{TokenId}').")]
        public static partial void Refused(ILogger logger, string method, PathString path, string? tokenId);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Refused {Method} {Path} to token '{TokenId}': its scope {Scope} does not allow it.")]
        public static partial void OutOfScope(ILogger logger, string tokenId, TokenScope scope, string method, PathString path);
    }
}
