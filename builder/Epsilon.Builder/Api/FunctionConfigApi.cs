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
/// <c>/functions/{name}/env</c> and <c>/functions/{name}/secrets</c>: config without a redeploy. Reads need read scope;
/// changes need deploy scope held to the token's repositories, as rollback does, and answer with the new live version
/// once every gateway serves it. A secret's value goes in once and is never answered, logged or echoed back.
/// </summary>
internal static class FunctionConfigApi
{
    /// <summary>Longest value of a variable or secret, in characters.</summary>
    public const int MaxValueLength = 32 * 1024;

    /// <summary>Most variables plus secrets one function has.</summary>
    public const int MaxVariables = 200;

    public static IEndpointRouteBuilder MapFunctionConfigApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/functions/{name}").RequireScope(TokenScope.Read);
        group.MapGet("/env", GetEnvAsync);
        group.MapPatch("/env", ChangeEnvAsync).RequireScope(TokenScope.Deploy);
        group.MapGet("/secrets", ListSecretsAsync);
        group.MapPut("/secrets/{secret}", SetSecretAsync).RequireScope(TokenScope.Deploy);
        group.MapDelete("/secrets/{secret}", RemoveSecretAsync).RequireScope(TokenScope.Deploy);
        return endpoints;
    }

    private static async Task<IResult> GetEnvAsync(string name, IFunctionStore store, IFunctionConfigStore config, CancellationToken cancellationToken)
    {
        var function = FunctionName.IsValid(name) ? await store.GetFunctionAsync(name, cancellationToken) : null;
        if (function is null)
        {
            return NotFound(name);
        }

        var overrides = await config.ListEnvOverridesAsync(name, cancellationToken);
        var secrets = await config.ListSecretsAsync(name, cancellationToken);
        var env = function.Live?.Config.Env ?? new Dictionary<string, string>();
        return TypedResults.Json(new EnvResponse(name, function.Live?.Version,
                new SortedDictionary<string, string>(env.ToDictionary(), StringComparer.Ordinal),
                overrides.Select(o => new EnvOverrideResponse(o.Name, o.Value, o.Value is null, o.UpdatedAt)).ToList(),
                secrets.Select(s => s.Name).ToList()),
            BuilderJsonContext.Default.EnvResponse);
    }

    private static async Task<IResult> ChangeEnvAsync(string name, HttpContext context, IFunctionStore store, ConfigChanges changes,
        IOptions<BuilderOptions> options)
    {
        if (await FunctionKeysApi.CheckFunctionAsync(name, context, store) is { } refused)
        {
            return refused;
        }

        EnvChangeRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, BuilderJsonContext.Default.EnvChangeRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            return InvalidBody("the body must be JSON like {\"set\": {\"NAME\": \"value\"}, \"unset\": [\"OTHER\"]}");
        }

        var set = request?.Set ?? new Dictionary<string, string>();
        var unset = request?.Unset ?? [];
        if (set.Count == 0 && unset.Count == 0)
        {
            return InvalidBody("name at least one variable in \"set\" or \"unset\"");
        }

        foreach (var (variable, value) in set)
        {
            if (VariableName.Problem(variable) is { } problem)
            {
                return Invalid("InvalidName", problem, $"set.{variable}");
            }

            if (value is null || value.Length > MaxValueLength)
            {
                return Invalid("InvalidValue", $"the value of {variable} must be a string of up to {MaxValueLength} characters", $"set.{variable}");
            }
        }

        for (var i = 0; i < unset.Count; i++)
        {
            if (VariableName.Problem(unset[i]) is { } problem)
            {
                return Invalid("InvalidName", problem, $"unset[{i}]");
            }

            if (set.ContainsKey(unset[i]))
            {
                return Invalid("InvalidName", $"{unset[i]} is both set and unset", $"unset[{i}]");
            }
        }

        var live = (await store.GetFunctionAsync(name, context.RequestAborted))?.Live?.Config;
        var count = (live?.Env.Keys ?? []).Union(set.Keys, StringComparer.Ordinal).Except(unset, StringComparer.Ordinal).Count()
            + (live?.Secrets?.Count ?? 0);
        if (count > MaxVariables)
        {
            return Invalid("TooManyVariables", $"function '{name}' would have {count} variables and secrets; at most {MaxVariables}", "set");
        }

        var (result, rollout) = await changes.ChangeEnvAsync(name, set, unset.Distinct(StringComparer.Ordinal).ToList(), context.RequestAborted);
        return Answer(name, result, rollout, options.Value);
    }

    private static async Task<IResult> ListSecretsAsync(string name, IFunctionStore store, IFunctionConfigStore config, CancellationToken cancellationToken)
    {
        if (!FunctionName.IsValid(name) || await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return NotFound(name);
        }

        return TypedResults.Json<IReadOnlyList<SecretResponse>>(
            (await config.ListSecretsAsync(name, cancellationToken)).Select(s => new SecretResponse(s.Name, s.CreatedAt, s.UpdatedAt)).ToList(),
            BuilderJsonContext.Default.IReadOnlyListSecretResponse);
    }

    private static async Task<IResult> SetSecretAsync(string name, string secret, HttpContext context, IFunctionStore store, ConfigChanges changes,
        IOptions<BuilderOptions> options)
    {
        if (await FunctionKeysApi.CheckFunctionAsync(name, context, store) is { } refused)
        {
            return refused;
        }

        if (VariableName.Problem(secret) is { } problem)
        {
            return Invalid("InvalidName", problem, "secret");
        }

        if (changes.SecretsUnavailable is { } unavailable)
        {
            return ErrorResults.Create(StatusCodes.Status409Conflict, "SecretsNotConfigured", $"this builder cannot store secrets: {unavailable}");
        }

        SecretRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, BuilderJsonContext.Default.SecretRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            // The parser's message may quote the body, which holds the value: say only what shape is wanted.
            return InvalidBody("the body must be JSON like {\"value\": \"...\"}");
        }

        if (request?.Value is not { } value || value.Length > MaxValueLength)
        {
            return Invalid("InvalidValue", $"value must be a string of up to {MaxValueLength} characters", "value");
        }

        var live = (await store.GetFunctionAsync(name, context.RequestAborted))?.Live?.Config;
        if (live is not null && !(live.Secrets ?? []).Contains(secret) && live.Env.Count + (live.Secrets?.Count ?? 0) + 1 > MaxVariables)
        {
            return Invalid("TooManyVariables", $"function '{name}' has {MaxVariables} variables and secrets already", "secret");
        }

        var (result, rollout) = await changes.SetSecretAsync(name, secret, value, context.RequestAborted);
        return Answer(name, result, rollout, options.Value);
    }

    private static async Task<IResult> RemoveSecretAsync(string name, string secret, HttpContext context, IFunctionStore store, ConfigChanges changes,
        IOptions<BuilderOptions> options)
    {
        if (await FunctionKeysApi.CheckFunctionAsync(name, context, store) is { } refused)
        {
            return refused;
        }

        var (result, rollout) = await changes.RemoveSecretAsync(name, secret, context.RequestAborted);
        return result.Outcome == ConfigChangeOutcome.SecretNotFound
            ? ErrorResults.Create(StatusCodes.Status404NotFound, "SecretNotFound", $"function '{name}' has no secret '{secret}'", field: "secret")
            : Answer(name, result, rollout, options.Value);
    }

    private static IResult Answer(string name, ConfigChangeResult result, Rollout? rollout, BuilderOptions options) => result.Outcome switch
    {
        ConfigChangeOutcome.Done => TypedResults.Json(new ConfigChangeResponse(name, result.To!.Value, result.From!.Value, result.DeploymentId!,
                result.Change!, DeploymentsApi.FunctionUrl(options, name),
                new RolloutResponse(rollout!.Revision, rollout.Complete, rollout.Serving, rollout.Laggards)),
            BuilderJsonContext.Default.ConfigChangeResponse),
        ConfigChangeOutcome.NoLiveVersion => ErrorResults.Create(StatusCodes.Status409Conflict, "NoLiveVersion",
            $"function '{name}' has no live version to change; deploy it first"),
        ConfigChangeOutcome.DeploymentRunning => ErrorResults.Create(StatusCodes.Status409Conflict, "DeploymentRunning",
            $"a deployment of function '{name}' is building; change its config once it ends"),
        _ => NotFound(name),
    };

    private static IResult NotFound(string name) =>
        ErrorResults.Create(StatusCodes.Status404NotFound, "FunctionNotFound", $"function '{name}' does not exist");

    private static IResult InvalidBody(string message) => ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidBody", message);

    private static IResult Invalid(string code, string message, string field) =>
        ErrorResults.Create(StatusCodes.Status400BadRequest, code, message, field: field);
}
