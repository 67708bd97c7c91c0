using System.Text.Json;
using Epsilon.Builder.Auth;
using Epsilon.Builder.Functions;
using Epsilon.Core.Auth;
using Epsilon.Core.Http;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Api;

/// <summary>
/// <c>/functions/stale</c> and <c>/functions/rebuild</c>: the versions a rebuilt runtime image or wrapper left behind, and
/// rebuilding them on the current ones in one call.
/// </summary>
internal static class StaleApi
{
    public static IEndpointRouteBuilder MapStaleApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/functions");
        group.MapGet("/stale", ListAsync).RequireScope(TokenScope.Read);
        group.MapPost("/rebuild", RebuildAsync).RequireScope(TokenScope.Deploy);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(StaleVersions stale, CancellationToken cancellationToken) =>
        TypedResults.Json<IReadOnlyList<StaleVersionResponse>>((await stale.ListAsync(cancellationToken)).Select(ToResponse).ToList(),
            BuilderJsonContext.Default.IReadOnlyListStaleVersionResponse);

    /// <summary>
    /// Rebuilds <c>{"functions": [...]}</c>, or with <c>?stale=true</c> every function whose live version is stale; answers
    /// when every redeploy has ended, each live on every gateway.
    /// </summary>
    private static async Task<IResult> RebuildAsync(HttpContext context, bool? stale, StaleVersions staleVersions, Rebuilds rebuilds,
        IFunctionStore store, IOptions<BuilderOptions> options)
    {
        var cancellationToken = context.RequestAborted;
        RebuildRequest? request = null;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync(cancellationToken);
            if (!string.IsNullOrWhiteSpace(text))
            {
                request = JsonSerializer.Deserialize(text, BuilderJsonContext.Default.RebuildRequest);
            }
        }
        catch (JsonException ex)
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidBody",
                $"the body must be empty or JSON like {{\"functions\": [\"hello\"]}}: {ex.Message}", field: "functions");
        }

        var targets = new List<(string Function, string Repository, string? Commit)>();
        if (request?.Functions is { Count: > 0 } names)
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var function = FunctionName.IsValid(name) ? await store.GetFunctionAsync(name, cancellationToken) : null;
                if (function?.Live is not { } live)
                {
                    return ErrorResults.Create(StatusCodes.Status404NotFound, "FunctionNotFound",
                        function is null ? $"function '{name}' does not exist" : $"function '{name}' has no live version to rebuild", field: "functions");
                }

                var deployment = await store.GetDeploymentAsync(live.DeploymentId, cancellationToken);
                targets.Add((name, function.Repository, deployment?.Commit));
            }
        }
        else if (stale == true)
        {
            // A version only an alias reaches is listed but not rebuilt: a redeploy makes a new live version, not an old one.
            targets.AddRange((await staleVersions.ListAsync(cancellationToken)).Where(s => s.Serves.Contains("live", StringComparer.Ordinal))
                .Select(s => (s.Function, s.Repository, s.Commit)));
        }
        else
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "NothingToRebuild",
                "name the functions to rebuild ({\"functions\": [\"hello\"]}) or rebuild every stale one with ?stale=true", field: "functions");
        }

        // Redeploying is a deploy's right, held to the token's repositories: all of them, or nothing starts.
        if (targets.Any(t => !ApiCaller.Of(context).MayDeploy(t.Repository)))
        {
            return AuthResults.Forbidden();
        }

        var done = await rebuilds.RunAsync(targets, cancellationToken);
        return TypedResults.Json(new RebuildResponse(done.Select(r => ToResponse(r, options.Value)).ToList(), done.Count(r => !r.Succeeded)),
            BuilderJsonContext.Default.RebuildResponse);
    }

    private static StaleVersionResponse ToResponse(StaleVersion version) => new(
        version.Function, version.Version, version.Repository, version.Commit, version.Runtime, version.Image, version.Serves,
        version.BuiltOn is null ? null : RuntimeBaseResponse.From(version.BuiltOn), RuntimeBaseResponse.From(version.Current), version.Changed);

    private static RebuildEntryResponse ToResponse(Rebuild rebuild, BuilderOptions options) => new(
        rebuild.Repository,
        rebuild.Commit,
        rebuild.Functions,
        rebuild.Outcome is null ? "refused" : rebuild.Succeeded ? "ready" : "failed",
        rebuild.Outcome?.Deployment.Id,
        rebuild.Succeeded
            ? rebuild.Outcome!.Deployment.Functions.Select(f => new FunctionUrlResponse(f.Name, f.Version, DeploymentsApi.FunctionUrl(options, f.Name))).ToList()
            : [],
        rebuild.Refused ?? rebuild.Outcome?.Message,
        rebuild.Outcome?.Rollout is { } rollout ? FunctionsApi.ToResponse(rollout) : null);
}
