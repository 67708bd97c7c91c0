using System.Text;
using System.Text.Json;
using Epsilon.Builder.Auth;
using Epsilon.Builder.Deployments;
using Epsilon.Builder.Git;
using Epsilon.Core.Auth;
using Epsilon.Core.Http;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Api;

/// <summary><c>/deployments</c>: deploy a repository, follow a deployment.</summary>
internal static class DeploymentsApi
{
    private static readonly TimeSpan s_followInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>When to try a deploy refused for a full queue again: about a small build's length.</summary>
    public const string QueueFullRetryAfterSeconds = "30";

    /// <summary>Why a deploy was refused for a full queue.</summary>
    public static string QueueFullMessage(BuilderOptions options) =>
        $"the builder is busy: {options.MaxConcurrentDeployments} deployment(s) are building and {options.MaxQueuedDeployments} more wait for their turn, "
        + $"the most it queues (Epsilon:Builder:MaxQueuedDeployments); try again after {QueueFullRetryAfterSeconds} s";

    public static IEndpointRouteBuilder MapDeploymentsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/deployments");
        group.MapPost("/", DeployAsync).RequireScope(TokenScope.Deploy);
        group.MapGet("/{id}", GetAsync).RequireScope(TokenScope.Read);
        group.MapGet("/{id}/log", FollowLogAsync).RequireScope(TokenScope.Read);
        return endpoints;
    }

    /// <summary>
    /// Starts a deployment. By default answers when it ends: 201 with the functions' URLs, or the failure's status.
    /// With <c>?wait=false</c> answers 202 at once with the deployment's id.
    /// </summary>
    private static async Task<IResult> DeployAsync(HttpContext context, DeploymentRunner runner, IOptions<BuilderOptions> options, bool? wait, bool? force)
    {
        DeployRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, BuilderJsonContext.Default.DeployRequest, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidBody",
                $"the body must be JSON like {{\"repository\": \"owner/repo\"}}: {ex.Message}");
        }

        if (!RepositorySource.TryParse(request?.Repository, out var source, out var error))
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidRepository", $"repository {error}", field: "repository");
        }

        if (source!.IsLocal && !options.Value.AllowLocalRepositories)
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidRepository", $"repository {RepositorySource.LocalNotAllowed}",
                field: "repository");
        }

        if (!ApiCaller.Of(context).MayDeploy(source!.DisplayUrl))
        {
            return AuthResults.Forbidden();
        }

        if (request!.Ref is { } gitRef && gitRef.Length > 0 && !GitRef.IsValid(gitRef))
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidRef", $"ref '{gitRef}' is not a branch, tag or commit", field: "ref");
        }

        if (await runner.StartAsync(source!, request.Ref, force == true, context.RequestAborted) is not { } running)
        {
            context.Response.Headers.RetryAfter = QueueFullRetryAfterSeconds;
            return ErrorResults.Create(StatusCodes.Status429TooManyRequests, "DeploymentQueueFull", QueueFullMessage(options.Value));
        }

        if (wait == false)
        {
            return TypedResults.Json(ToResponse(running.Deployment, options.Value, running.Log.ToString()), BuilderJsonContext.Default.DeploymentResponse,
                statusCode: StatusCodes.Status202Accepted);
        }

        var outcome = await running.Completion.WaitAsync(context.RequestAborted);
        if (outcome.Succeeded)
        {
            var response = ToResponse(outcome.Deployment, options.Value, log: null) with
            {
                Rollout = outcome.Rollout is { } rollout ? new RolloutResponse(rollout.Revision, rollout.Complete, rollout.Serving, rollout.Laggards) : null,
            };
            return TypedResults.Json(response, BuilderJsonContext.Default.DeploymentResponse, statusCode: StatusCodes.Status201Created);
        }

        var (status, code) = outcome.Failure switch
        {
            DeploymentFailure.RepositoryUnavailable => (StatusCodes.Status422UnprocessableEntity, "RepositoryUnavailable"),
            DeploymentFailure.ManifestInvalid => (StatusCodes.Status422UnprocessableEntity, "ManifestInvalid"),
            DeploymentFailure.NameTaken => (StatusCodes.Status409Conflict, "FunctionNameTaken"),
            DeploymentFailure.BuildFailed => (StatusCodes.Status422UnprocessableEntity, "BuildFailed"),
            _ => (StatusCodes.Status500InternalServerError, "DeploymentFailed"),
        };
        context.Response.Headers.Location = $"/deployments/{outcome.Deployment.Id}";
        return ErrorResults.Create(status, code, outcome.Message ?? "the deployment failed",
            field: outcome.Failure is DeploymentFailure.RepositoryUnavailable ? "repository" : null,
            details: outcome.Problems.Count == 0 ? null : outcome.Problems.Select(p => new ErrorProblem(p.Key, p.Line, p.Message)).ToList());
    }

    private static async Task<IResult> GetAsync(string id, IFunctionStore store, DeploymentRunner runner, IOptions<BuilderOptions> options,
        CancellationToken cancellationToken)
    {
        if (runner.GetRunning(id) is { } running)
        {
            return TypedResults.Json(ToResponse(running.Deployment, options.Value, running.Log.ToString()), BuilderJsonContext.Default.DeploymentResponse);
        }

        var deployment = await store.GetDeploymentAsync(id, cancellationToken);
        return deployment is null
            ? ErrorResults.Create(StatusCodes.Status404NotFound, "DeploymentNotFound", $"deployment '{id}' does not exist")
            : TypedResults.Json(ToResponse(deployment, options.Value, deployment.Log), BuilderJsonContext.Default.DeploymentResponse);
    }

    /// <summary>The build log as plain text; with <c>?follow=true</c> streamed until the deployment ends.</summary>
    private static async Task FollowLogAsync(HttpContext context, string id, bool? follow, IFunctionStore store, DeploymentRunner runner,
        TimeProvider timeProvider)
    {
        var cancellationToken = context.RequestAborted;
        long sent = 0;
        RunningDeployment? followed = null;
        context.Response.ContentType = "text/plain; charset=utf-8";
        // Positions count everything the build wrote, so a follower that fell behind the log's cut is told what it missed.
        while (follow == true && runner.GetRunning(id) is { } running && !cancellationToken.IsCancellationRequested)
        {
            followed = running;
            var text = running.Log.ReadFrom(sent, out sent);
            if (text.Length > 0)
            {
                await context.Response.WriteAsync(text, Encoding.UTF8, cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }

            await Task.WhenAny(running.Completion, Task.Delay(s_followInterval, timeProvider, cancellationToken));
        }

        if (followed is not null)
        {
            // It ended, its log complete (its completion is set before it leaves the running ones): the rest of that log.
            await context.Response.WriteAsync(followed.Log.ReadFrom(sent, out _), Encoding.UTF8, cancellationToken);
            return;
        }

        var deployment = await store.GetDeploymentAsync(id, cancellationToken);
        if (deployment is null)
        {
            await ErrorResults.Create(StatusCodes.Status404NotFound, "DeploymentNotFound", $"deployment '{id}' does not exist").ExecuteAsync(context);
            return;
        }

        await context.Response.WriteAsync(runner.GetRunning(id)?.Log.ToString() ?? deployment.Log ?? "", Encoding.UTF8, cancellationToken);
    }

    private static DeploymentResponse ToResponse(Deployment deployment, BuilderOptions options, string? log) => new(
        deployment.Id,
        deployment.Status.ToString().ToLowerInvariant(),
        deployment.Repository,
        deployment.Ref,
        deployment.Commit,
        deployment.Error,
        deployment.Functions.Select(f => new FunctionUrlResponse(f.Name, f.Version, FunctionUrl(options, f.Name)) { Unchanged = f.Unchanged ? true : null })
            .ToList(),
        deployment.CreatedAt,
        deployment.FinishedAt,
        log);

    /// <summary>Where a function is called through the gateway.</summary>
    public static string FunctionUrl(BuilderOptions options, string function) => $"{options.GatewayUrl.TrimEnd('/')}/{function}/";
}
