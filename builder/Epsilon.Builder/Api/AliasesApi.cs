using System.Globalization;
using System.Text.Json;
using Epsilon.Builder.Auth;
using Epsilon.Builder.Deployments;
using Epsilon.Builder.Functions;
using Epsilon.Core.Auth;
using Epsilon.Core.Http;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Api;

/// <summary>
/// <c>/functions/{name}/aliases</c>: named versions (<c>/fn@beta/</c>) and weighted canary splits, <c>live</c> being the one
/// plain calls go to. Changing one is a deploy's right, held to the token's repositories like rollback, and answers once
/// every gateway serves the change.
/// </summary>
internal static class AliasesApi
{
    public static IEndpointRouteBuilder MapAliasesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/functions/{name}/aliases").RequireScope(TokenScope.Read);
        group.MapGet("/", ListAsync);
        group.MapPut("/{alias}", SetAsync).RequireScope(TokenScope.Deploy);
        group.MapDelete("/{alias}", DeleteAsync).RequireScope(TokenScope.Deploy);
        return endpoints;
    }

    /// <summary>Every alias, <c>live</c> first (from the live version when it is not split).</summary>
    private static async Task<IResult> ListAsync(string name, IFunctionStore store, IAliasStore aliases, IOptions<BuilderOptions> options,
        CancellationToken cancellationToken)
    {
        var function = FunctionName.IsValid(name) ? await store.GetFunctionAsync(name, cancellationToken) : null;
        if (function is null)
        {
            return NotFound(name);
        }

        var stored = await aliases.ListAliasesAsync(name, cancellationToken);
        return TypedResults.Json(ToResponses(function, stored, options.Value), BuilderJsonContext.Default.IReadOnlyListAliasResponse);
    }

    /// <summary>A function's aliases as the API shows them: live first (from the live version when it is not split), then by name.</summary>
    internal static IReadOnlyList<AliasResponse> ToResponses(FunctionInfo function, IEnumerable<FunctionAlias> stored, BuilderOptions options)
    {
        var list = new List<AliasResponse>();
        var ordered = stored.Where(a => a.Function == function.Name).OrderBy(a => a.Name == AliasName.Live ? "" : a.Name, StringComparer.Ordinal).ToList();
        if (ordered.FirstOrDefault(a => a.Name == AliasName.Live) is null && function.Live is { } live)
        {
            list.Add(new AliasResponse(AliasName.Live, new Dictionary<string, int> { [Key(live.Version)] = 100 }, Url(options, function.Name, AliasName.Live), null));
        }

        list.AddRange(ordered.Select(a => new AliasResponse(a.Name, ToJson(a.Weights), Url(options, function.Name, a.Name), a.UpdatedAt)));
        return list;
    }

    /// <summary>Points an alias at <c>{"version": N}</c> or <c>{"weights": {"N": w, ...}}</c>; each thing wrong is a 400 naming its field.</summary>
    private static async Task<IResult> SetAsync(HttpContext context, string name, string alias, FunctionLifecycle lifecycle, IFunctionStore store,
        IOptions<BuilderOptions> options)
    {
        AliasRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, BuilderJsonContext.Default.AliasRequest, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return BadRequest("InvalidBody", $"the body must be JSON like {{\"version\": 7}} or {{\"weights\": {{\"7\": 90, \"8\": 10}}}}: {ex.Message}", "version");
        }

        if (!AliasName.IsValid(alias))
        {
            return BadRequest("InvalidAlias", $"alias '{alias}' must match [a-z][a-z0-9-]{{0,30}} and not be v<digits>, which names a version", "alias");
        }

        if (ParseTargets(request) is not { } weights)
        {
            return Invalid(request);
        }

        if (!FunctionName.IsValid(name))
        {
            return NotFound(name);
        }

        if (await FunctionsApi.MayChangeAsync(context, name, store) is { } refused)
        {
            return refused;
        }

        var (result, rollout) = await lifecycle.SetAliasAsync(name, alias, weights, context.RequestAborted);
        var field = request!.Version is null ? $"weights.{result.Version}" : "version";
        return result.Outcome switch
        {
            AliasOutcome.Done => TypedResults.Json(new AliasChangeResponse(name, alias, ToJson(weights), Url(options.Value, name, alias), FunctionsApi.ToResponse(rollout!)),
                BuilderJsonContext.Default.AliasChangeResponse),
            AliasOutcome.VersionNotFound => BadRequest("VersionNotFound",
                $"function '{name}' has no version {result.Version}; 'GET /functions/{name}/versions' lists them", field),
            AliasOutcome.VersionNotReady => BadRequest("VersionNotReady",
                $"version {result.Version} of function '{name}' is not ready: it failed, is still building, or was deleted", field),
            AliasOutcome.ImageCollected => ErrorResults.Create(StatusCodes.Status409Conflict, "ImageCollected",
                $"version {result.Version} of function '{name}' cannot be aliased: its image was removed from the registry by the garbage collector; 'GET /functions/{name}/versions' shows which are kept",
                field: field),
            _ => NotFound(name),
        };
    }

    /// <summary>Removes an alias; <c>live</c> cannot be removed (point it at one version to end a split).</summary>
    private static async Task<IResult> DeleteAsync(HttpContext context, string name, string alias, FunctionLifecycle lifecycle, IFunctionStore store)
    {
        if (alias == AliasName.Live)
        {
            return BadRequest("LiveAlias", "alias 'live' cannot be removed; set it to one version to end a split", "alias");
        }

        if (!FunctionName.IsValid(name))
        {
            return NotFound(name);
        }

        if (await FunctionsApi.MayChangeAsync(context, name, store) is { } refused)
        {
            return refused;
        }

        var (result, rollout) = await lifecycle.DeleteAliasAsync(name, alias, context.RequestAborted);
        return result.Outcome switch
        {
            AliasOutcome.Done => TypedResults.Json(new AliasChangeResponse(name, alias, null, null, FunctionsApi.ToResponse(rollout!)),
                BuilderJsonContext.Default.AliasChangeResponse),
            AliasOutcome.AliasNotFound => ErrorResults.Create(StatusCodes.Status404NotFound, "AliasNotFound",
                $"function '{name}' has no alias '{alias}'", field: "alias"),
            _ => NotFound(name),
        };
    }

    /// <summary>The request's weights by version, or null when its shape is wrong (<see cref="Invalid"/> says how).</summary>
    private static SortedDictionary<int, int>? ParseTargets(AliasRequest? request)
    {
        if (request is { Version: > 0 and var version, Weights: null })
        {
            return new SortedDictionary<int, int> { [version] = 100 };
        }

        if (request is not { Version: null, Weights: { Count: > 0 and <= AliasName.MaxTargets } weights })
        {
            return null;
        }

        var parsed = new SortedDictionary<int, int>();
        foreach (var (key, weight) in weights)
        {
            if (!TryParseVersion(key, out var number) || weight is < 1 or > 100)
            {
                return null;
            }

            parsed[number] = weight;
        }

        return parsed.Values.Sum() == 100 ? parsed : null;
    }

    /// <summary>The 400 for a request <see cref="ParseTargets"/> refused, naming the first field that is wrong.</summary>
    private static IResult Invalid(AliasRequest? request)
    {
        if (request is null || (request.Version is null) == (request.Weights is null))
        {
            return BadRequest("InvalidBody", "give either {\"version\": 7} or {\"weights\": {\"7\": 90, \"8\": 10}}", "version");
        }

        if (request.Weights is null)
        {
            return BadRequest("InvalidVersion", $"version must be a positive version number, not {request.Version}", "version");
        }

        if (request.Weights.Count is 0 or > AliasName.MaxTargets)
        {
            return BadRequest("InvalidWeights", $"weights must name 1 to {AliasName.MaxTargets} versions, not {request.Weights.Count}", "weights");
        }

        foreach (var (key, weight) in request.Weights)
        {
            if (!TryParseVersion(key, out _))
            {
                return BadRequest("InvalidWeights", $"'{key}' is not a version number", $"weights.{key}");
            }

            if (weight is < 1 or > 100)
            {
                return BadRequest("InvalidWeights", $"the weight of version {key} must be 1 to 100, not {weight}", $"weights.{key}");
            }
        }

        return BadRequest("InvalidWeights", $"weights must sum to 100, not {request.Weights.Values.Sum()}", "weights");
    }

    private static bool TryParseVersion(string key, out int version) =>
        int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;

    private static Dictionary<string, int> ToJson(IReadOnlyDictionary<int, int> weights) =>
        weights.OrderBy(w => w.Key).ToDictionary(w => Key(w.Key), w => w.Value);

    private static string Key(int version) => version.ToString(CultureInfo.InvariantCulture);

    private static string Url(BuilderOptions options, string function, string alias) => alias == AliasName.Live
        ? DeploymentsApi.FunctionUrl(options, function)
        : $"{options.GatewayUrl.TrimEnd('/')}/{function}@{alias}/";

    private static IResult BadRequest(string code, string message, string field) =>
        ErrorResults.Create(StatusCodes.Status400BadRequest, code, message, field: field);

    private static IResult NotFound(string name) =>
        ErrorResults.Create(StatusCodes.Status404NotFound, "FunctionNotFound", $"function '{name}' does not exist");
}
