using System.Text.Json;
using Epsilon.Builder.Auth;
using Epsilon.Core.Auth;
using Epsilon.Core.Http;
using Epsilon.Core.Model;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Api;

/// <summary>
/// <c>/functions/{name}/keys</c> (deploy or admin; a token limited to repositories only for their functions): the keys
/// callers of a function that is not public send in <c>X-Epsilon-Key</c>. A key's secret is shown once.
/// </summary>
internal static class FunctionKeysApi
{
    public static IEndpointRouteBuilder MapFunctionKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/functions/{name}/keys").RequireScope(TokenScope.Deploy);
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id}", RevokeAsync);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(string name, HttpContext context, IFunctionStore store, IFunctionKeyStore keys)
    {
        if (await CheckFunctionAsync(name, context, store) is { } refused)
        {
            return refused;
        }

        FunctionKeyRequest? request = null;
        if (context.Request.ContentLength is not 0 && context.Request.HasJsonContentType())
        {
            try
            {
                request = await JsonSerializer.DeserializeAsync(context.Request.Body, BuilderJsonContext.Default.FunctionKeyRequest, context.RequestAborted);
            }
            catch (JsonException)
            {
                return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidBody", "the body must be JSON like {\"name\": \"shop-frontend\"}");
            }
        }

        var keyName = string.IsNullOrWhiteSpace(request?.Name) ? "default" : request.Name.Trim();
        if (keyName.Length > 100 || keyName.Any(char.IsControl))
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidKey", "name must be up to 100 printable characters", field: "name");
        }

        var secret = TokenSecret.Create();
        var key = await keys.CreateFunctionKeyAsync(name, keyName, TokenSecret.Hash(secret), context.RequestAborted);
        context.Response.Headers.Location = $"/functions/{name}/keys/{key.Id}";
        return TypedResults.Json(ToResponse(key) with { Key = secret }, BuilderJsonContext.Default.FunctionKeyResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(string name, HttpContext context, IFunctionStore store, IFunctionKeyStore keys) =>
        await CheckFunctionAsync(name, context, store) is { } refused
            ? refused
            : TypedResults.Json<IReadOnlyList<FunctionKeyResponse>>((await keys.ListFunctionKeysAsync(name, context.RequestAborted)).Select(ToResponse).ToList(),
                BuilderJsonContext.Default.IReadOnlyListFunctionKeyResponse);

    private static async Task<IResult> RevokeAsync(string name, string id, HttpContext context, IFunctionStore store, IFunctionKeyStore keys)
    {
        if (await CheckFunctionAsync(name, context, store) is { } refused)
        {
            return refused;
        }

        return await keys.RevokeFunctionKeyAsync(name, id, context.RequestAborted)
            ? TypedResults.NoContent()
            : ErrorResults.Create(StatusCodes.Status404NotFound, "KeyNotFound", $"function '{name}' has no valid key with id '{id}'");
    }

    /// <summary>404 for a function that does not exist, 403 for a token limited to other repositories; null when it may go on.</summary>
    internal static async Task<IResult?> CheckFunctionAsync(string name, HttpContext context, IFunctionStore store)
    {
        var function = FunctionName.IsValid(name) ? await store.GetFunctionAsync(name, context.RequestAborted) : null;
        if (function is null)
        {
            return ErrorResults.Create(StatusCodes.Status404NotFound, "FunctionNotFound", $"function '{name}' does not exist");
        }

        return ApiCaller.Of(context).MayDeploy(function.Repository) ? null : AuthResults.Forbidden();
    }

    private static FunctionKeyResponse ToResponse(FunctionKey key) => new(key.Id, key.Function, key.Name, key.CreatedAt, key.RevokedAt);
}
