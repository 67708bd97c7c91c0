using System.Text.Json;
using Epsilon.Builder.Auth;
using Epsilon.Core.Auth;
using Epsilon.Core.Http;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Api;

/// <summary><c>/tokens</c> (admin): make, list and revoke API tokens. A secret is shown once, in the answer that made it.</summary>
internal static class TokensApi
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/tokens").RequireScope(TokenScope.Admin);
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id}", RevokeAsync);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IApiTokenStore tokens)
    {
        TokenRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, BuilderJsonContext.Default.TokenRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidBody",
                "the body must be JSON like {\"name\": \"ci\", \"scope\": \"deploy\", \"repositories\": [\"acme/shop\"]}");
        }

        if (!TokenGrant.TryCreate(request?.Name, request?.Scope, request?.Repositories, out var grant, out var field, out var error))
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidToken", error!, field: field);
        }

        var secret = TokenSecret.Create();
        var token = await tokens.CreateTokenAsync(grant!.Name, grant.Scope, grant.Repositories, TokenSecret.Hash(secret), context.RequestAborted);
        context.Response.Headers.Location = $"/tokens/{token.Id}";
        return TypedResults.Json(ToResponse(token) with { Token = secret }, BuilderJsonContext.Default.TokenResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(IApiTokenStore tokens, CancellationToken cancellationToken) =>
        TypedResults.Json<IReadOnlyList<TokenResponse>>((await tokens.ListTokensAsync(cancellationToken)).Select(ToResponse).ToList(),
            BuilderJsonContext.Default.IReadOnlyListTokenResponse);

    private static async Task<IResult> RevokeAsync(string id, IApiTokenStore tokens, CancellationToken cancellationToken) =>
        await tokens.RevokeTokenAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : ErrorResults.Create(StatusCodes.Status404NotFound, "TokenNotFound", $"no valid token has id '{id}'");

    private static TokenResponse ToResponse(ApiToken token) =>
        new(token.Id, token.Name, TokenGrant.ScopeName(token.Scope), token.Repositories, token.CreatedAt, token.RevokedAt);
}
