using System.Text.Json;
using System.Text.Json.Nodes;
using Epsilon.Builder.Auth;
using Epsilon.Builder.Deployments;
using Epsilon.Builder.Git;
using Epsilon.Core.Auth;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Api;

/// <summary>
/// eserveless's own API shape, so its CLI (<c>eserveless deploy user/repo</c>) works against Epsilon:
/// <c>POST /api/projects {"repository"}</c> answers 200 <c>{message, repository, project, functions: ["/invoke/&lt;project&gt;/&lt;fn&gt;"]}</c>
/// and errors as <c>{error, message}</c>. Functions are then called on the gateway at <c>/invoke/&lt;project&gt;/&lt;fn&gt;</c>.
/// </summary>
internal static class EserverlessApi
{
    public static IEndpointRouteBuilder MapEserverlessApi(this IEndpointRouteBuilder endpoints)
    {
        // eserveless's CLI sends no token: without one, only the configured source addresses may deploy.
        endpoints.MapPost("/api/projects", CreateProjectAsync).RequireScope(TokenScope.Deploy, allowListedSources: true);
        return endpoints;
    }

    private static async Task<IResult> CreateProjectAsync(HttpContext context, DeploymentRunner runner, IOptions<BuilderOptions> options)
    {
        string? repository;
        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, BuilderJsonContext.Default.DeployRequest, context.RequestAborted);
            repository = body?.Repository;
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "Bad Request", "unable to parse request data");
        }

        if (!RepositorySource.TryParse(repository, out var source, out var error))
        {
            return Error(StatusCodes.Status400BadRequest, "Bad Request", $"repository {error}");
        }

        if (source!.IsLocal && !options.Value.AllowLocalRepositories)
        {
            return Error(StatusCodes.Status400BadRequest, "Bad Request", $"repository {RepositorySource.LocalNotAllowed}");
        }

        if (!ApiCaller.Of(context).MayDeploy(source!.DisplayUrl))
        {
            return AuthResults.Forbidden();
        }

        if (await runner.StartAsync(source!, null, force: false, context.RequestAborted) is not { } running)
        {
            context.Response.Headers.RetryAfter = DeploymentsApi.QueueFullRetryAfterSeconds;
            return Error(StatusCodes.Status429TooManyRequests, "Too Many Requests", DeploymentsApi.QueueFullMessage(options.Value));
        }

        var outcome = await running.Completion.WaitAsync(context.RequestAborted);
        if (!outcome.Succeeded)
        {
            return outcome.Failure is DeploymentFailure.Internal
                ? Error(StatusCodes.Status500InternalServerError, "Server Error", outcome.Message ?? "the deployment failed")
                : Error(outcome.Failure is DeploymentFailure.NameTaken ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity,
                    "Deployment Failed", outcome.Message ?? "the deployment failed");
        }

        var project = outcome.Eserveless?.Project;
        var functions = new JsonArray();
        foreach (var function in outcome.Deployment.Functions)
        {
            var name = project is not null && function.Name.StartsWith(project + "-", StringComparison.Ordinal)
                ? $"/invoke/{project}/{function.Name[(project.Length + 1)..]}"
                : $"/{function.Name}/";
            functions.Add((JsonNode)name);
        }

        return Results.Json(new JsonObject
        {
            ["message"] = "Yeah! project deployed.",
            ["repository"] = outcome.Deployment.Repository,
            ["project"] = project,
            ["deploymentId"] = outcome.Deployment.Id,
            ["functions"] = functions,
        });
    }

    private static IResult Error(int status, string error, string message) =>
        Results.Json(new JsonObject { ["error"] = error, ["message"] = message }, statusCode: status);
}
