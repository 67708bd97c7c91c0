using Epsilon.Builder.Auth;
using Epsilon.Core.Auth;
using Epsilon.Core.Http;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Api;

/// <summary><c>/functions</c>: what is deployed and where to call it.</summary>
internal static class FunctionsApi
{
    public static IEndpointRouteBuilder MapFunctionsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/functions").RequireScope(TokenScope.Read);
        group.MapGet("/", ListAsync);
        group.MapGet("/{name}", GetAsync);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(IFunctionStore store, IOptions<BuilderOptions> options, CancellationToken cancellationToken)
    {
        var functions = await store.ListFunctionsAsync(cancellationToken);
        return TypedResults.Json<IReadOnlyList<FunctionResponse>>(functions.Select(f => ToResponse(f, options.Value)).ToList(),
            BuilderJsonContext.Default.IReadOnlyListFunctionResponse);
    }

    private static async Task<IResult> GetAsync(string name, IFunctionStore store, IOptions<BuilderOptions> options, CancellationToken cancellationToken)
    {
        var function = FunctionName.IsValid(name) ? await store.GetFunctionAsync(name, cancellationToken) : null;
        return function is null
            ? ErrorResults.Create(StatusCodes.Status404NotFound, "FunctionNotFound", $"function '{name}' does not exist")
            : TypedResults.Json(ToResponse(function, options.Value), BuilderJsonContext.Default.FunctionResponse);
    }

    private static FunctionResponse ToResponse(FunctionInfo function, BuilderOptions options) => new(
        function.Name,
        function.Repository,
        DeploymentsApi.FunctionUrl(options, function.Name),
        function.Live?.Version,
        function.Live?.Image,
        function.Live?.DeploymentId,
        function.Live?.CreatedAt,
        function.Live is null ? null : FunctionSettingsResponse.From(function.Live.Config));
}
