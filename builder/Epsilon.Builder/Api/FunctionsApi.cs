using Epsilon.Builder.Auth;
using Epsilon.Core.Auth;
using System.Text.Json;
using Epsilon.Builder.Deployments;
using Epsilon.Builder.Functions;
using Epsilon.Core.Http;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Api;

/// <summary><c>/functions</c>: what is deployed and where to call it, its versions, rollback and delete.</summary>
internal static class FunctionsApi
{
    public static IEndpointRouteBuilder MapFunctionsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/functions").RequireScope(TokenScope.Read);
        group.MapGet("/", ListAsync);
        group.MapGet("/{name}", GetAsync);
        group.MapGet("/{name}/versions", ListVersionsAsync);
        // Changing what a function serves is a deploy's right, held to the token's repositories like a deploy.
        group.MapPost("/{name}/rollback", RollbackAsync).RequireScope(TokenScope.Deploy);
        group.MapDelete("/{name}", DeleteAsync).RequireScope(TokenScope.Deploy);
        return endpoints;
    }

    /// <summary>Every version, newest first; <c>?deleted=true</c> adds those of a deleted function (its history).</summary>
    private static async Task<IResult> ListVersionsAsync(string name, bool? deleted, IFunctionStore store, IAliasStore aliases,
        IOptions<BuilderOptions> options, CancellationToken cancellationToken)
    {
        var includeDeleted = deleted == true;
        var exists = FunctionName.IsValid(name) && await store.GetFunctionAsync(name, cancellationToken) is not null;
        var versions = FunctionName.IsValid(name) && (exists || includeDeleted)
            ? await store.ListVersionsAsync(name, includeDeleted, cancellationToken)
            : [];
        if (!exists && versions.Count == 0)
        {
            return NotFound(name, includeDeleted ? "" : " (a deleted function's history: ?deleted=true)");
        }

        var kept = exists ? (await aliases.ListKeptVersionsAsync(name, options.Value.RollbackWindow, cancellationToken)).ToHashSet() : [];
        return TypedResults.Json<IReadOnlyList<VersionResponse>>(versions.Select(v => new VersionResponse(
                v.Version.Version, v.Version.Status.ToString().ToLowerInvariant(), v.Version.Image, v.Commit, v.Version.DeploymentId,
                v.Version.CreatedAt, v.Live, v.Version.DeletedAt, kept.Contains(v.Version.Version), v.Change, v.Version.ImageRemovedAt)).ToList(),
            BuilderJsonContext.Default.IReadOnlyListVersionResponse);
    }

    /// <summary>
    /// Makes <c>{"version": N}</c> live, or with an empty body the newest ready version before the live one; answers once
    /// every gateway serves it.
    /// </summary>
    private static async Task<IResult> RollbackAsync(HttpContext context, string name, FunctionLifecycle lifecycle, IFunctionStore store,
        IOptions<BuilderOptions> options)
    {
        RollbackRequest? request = null;
        try
        {
            if (context.Request.ContentLength is not 0)
            {
                using var reader = new StreamReader(context.Request.Body);
                var text = await reader.ReadToEndAsync(context.RequestAborted);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    request = JsonSerializer.Deserialize(text, BuilderJsonContext.Default.RollbackRequest);
                }
            }
        }
        catch (JsonException ex)
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidBody",
                $"the body must be empty or JSON like {{\"version\": 3}}: {ex.Message}", field: "version");
        }

        if (request?.Version is <= 0)
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidVersion",
                $"version must be a positive version number, not {request.Version}", field: "version");
        }

        if (!FunctionName.IsValid(name))
        {
            return NotFound(name, "");
        }

        if (await MayChangeAsync(context, name, store) is { } refused)
        {
            return refused;
        }

        var (result, rollout) = await lifecycle.RollbackAsync(name, request?.Version, context.RequestAborted);
        return result.Outcome switch
        {
            RollbackOutcome.Done => TypedResults.Json(
                new RollbackResponse(name, result.To!.Value, result.From, DeploymentsApi.FunctionUrl(options.Value, name), ToResponse(rollout!)),
                BuilderJsonContext.Default.RollbackResponse),
            RollbackOutcome.FunctionNotFound => NotFound(name, ""),
            RollbackOutcome.VersionNotFound => ErrorResults.Create(StatusCodes.Status404NotFound, "VersionNotFound",
                $"function '{name}' has no version {result.To}; 'GET /functions/{name}/versions' lists them", field: "version"),
            RollbackOutcome.VersionNotReady => ErrorResults.Create(StatusCodes.Status409Conflict, "VersionNotReady",
                $"version {result.To} of function '{name}' cannot be made live: it failed, is still building, or its image was deleted", field: "version"),
            RollbackOutcome.ImageCollected => ErrorResults.Create(StatusCodes.Status409Conflict, "ImageCollected",
                $"version {result.To} of function '{name}' cannot be made live: its image was removed from the registry by the garbage collector (it was outside the rollback window, not an alias target and older than the newest kept versions); 'GET /functions/{name}/versions' shows which are kept",
                field: "version"),
            RollbackOutcome.AlreadyLive => ErrorResults.Create(StatusCodes.Status409Conflict, "AlreadyLive",
                $"version {result.To} of function '{name}' is already live", field: "version"),
            _ => ErrorResults.Create(StatusCodes.Status409Conflict, "NoPreviousVersion", result.From is null
                ? $"function '{name}' has no live version to roll back from; name one with {{\"version\": N}}"
                : $"function '{name}' has no ready version before v{result.From} to roll back to"),
        };
    }

    /// <summary>
    /// Deletes a function: every gateway drops its routes and retires its containers before the answer, its images leave
    /// the registry, and its name is free; its versions stay readable with <c>?deleted=true</c>.
    /// </summary>
    private static async Task<IResult> DeleteAsync(HttpContext context, string name, FunctionLifecycle lifecycle, IFunctionStore store,
        CancellationToken cancellationToken)
    {
        if (FunctionName.IsValid(name) && await MayChangeAsync(context, name, store) is { } refused)
        {
            return refused;
        }

        var deleted = FunctionName.IsValid(name) ? await lifecycle.DeleteAsync(name, cancellationToken) : null;
        if (deleted is not { } done)
        {
            return NotFound(name, "");
        }

        return TypedResults.Json(new DeleteResponse(name, done.Images.Removed, done.Images.Failed, ToResponse(done.Rollout)),
            BuilderJsonContext.Default.DeleteResponse);
    }

    /// <summary>403 when the caller's token is held to repositories and the function's is not one of them.</summary>
    internal static async Task<IResult?> MayChangeAsync(HttpContext context, string name, IFunctionStore store) =>
        await store.GetFunctionAsync(name, context.RequestAborted) is { } function && !ApiCaller.Of(context).MayDeploy(function.Repository)
            ? AuthResults.Forbidden()
            : null;

    private static IResult NotFound(string name, string hint) =>
        ErrorResults.Create(StatusCodes.Status404NotFound, "FunctionNotFound", $"function '{name}' does not exist{hint}");

    internal static RolloutResponse ToResponse(Rollout rollout) => new(rollout.Revision, rollout.Complete, rollout.Serving, rollout.Laggards);

    private static async Task<IResult> ListAsync(IFunctionStore store, IAliasStore aliases, IOptions<BuilderOptions> options,
        CancellationToken cancellationToken)
    {
        var functions = await store.ListFunctionsAsync(cancellationToken);
        var stored = (await aliases.ListAliasesAsync(null, cancellationToken)).ToLookup(a => a.Function, StringComparer.Ordinal);
        return TypedResults.Json<IReadOnlyList<FunctionResponse>>(functions.Select(f => ToResponse(f, stored[f.Name], options.Value)).ToList(),
            BuilderJsonContext.Default.IReadOnlyListFunctionResponse);
    }

    private static async Task<IResult> GetAsync(string name, IFunctionStore store, IAliasStore aliases, IOptions<BuilderOptions> options,
        CancellationToken cancellationToken)
    {
        var function = FunctionName.IsValid(name) ? await store.GetFunctionAsync(name, cancellationToken) : null;
        return function is null
            ? NotFound(name, "")
            : TypedResults.Json(ToResponse(function, await aliases.ListAliasesAsync(name, cancellationToken), options.Value),
                BuilderJsonContext.Default.FunctionResponse);
    }

    private static FunctionResponse ToResponse(FunctionInfo function, IEnumerable<FunctionAlias> aliases, BuilderOptions options) => new(
        function.Name,
        function.Repository,
        DeploymentsApi.FunctionUrl(options, function.Name),
        function.Live?.Version,
        function.Live?.Image,
        function.Live?.DeploymentId,
        function.Live?.CreatedAt,
        function.Live is null ? null : FunctionSettingsResponse.From(function.Live.Config),
        AliasesApi.ToResponses(function, aliases, options));
}
