using Epsilon.Core.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Epsilon.Builder.Api;

/// <summary>
/// The builder's API as an OpenAPI document (<c>GET /openapi/v1.json</c>; checked in as <c>builder/openapi.json</c>,
/// which a test keeps equal to what is served): each operation's summary, its answers and their shapes, kept here in
/// one table rather than spread over the route handlers.
/// </summary>
internal static class ApiDocumentation
{
    public const string DocumentName = "v1";

    private sealed record Answer(int Status, string Description, Type? Body = null, string ContentType = "application/json");

    private sealed record Operation(string Summary, string? Description, params Answer[] Answers)
    {
        /// <summary>The JSON body the operation reads, for handlers that read it themselves.</summary>
        public Type? RequestBody { get; init; }
    }

    private static readonly Answer NotFound = new(404, "Not found.", typeof(ErrorBody));

    private static readonly Dictionary<string, Operation> s_operations = new(StringComparer.Ordinal)
    {
        ["GET _epsilon/health"] = new("Health", "Answers 200 while the builder serves.", new Answer(200, "Serving.", typeof(string), "text/plain")),
        ["POST deployments"] = new("Deploy a repository",
            "Fetches the repository, builds and pushes every function of its manifest as a new version, and moves their live versions in one step. Answers when the deploy ends, or at once with ?wait=false.",
            new Answer(201, "Deployed: each function's version and URL, and which gateways serve it.", typeof(DeploymentResponse)),
            new Answer(202, "Started (?wait=false): follow it at /deployments/{id}.", typeof(DeploymentResponse)),
            new Answer(400, "Bad body, repository or ref (the field is named).", typeof(ErrorBody)),
            new Answer(409, "A function name belongs to another repository.", typeof(ErrorBody)),
            new Answer(422, "The repository could not be fetched, its manifest is invalid or exceeds a limit, or a build failed or exceeded a limit.", typeof(ErrorBody)),
            new Answer(429, "The deployment queue is full: try again after Retry-After seconds.", typeof(ErrorBody)))
        {
            RequestBody = typeof(DeployRequest),
        },
        ["GET deployments/{id}"] = new("A deployment", "Its status, commit, error and build log.",
            new Answer(200, "The deployment.", typeof(DeploymentResponse)), NotFound),
        ["GET deployments/{id}/log"] = new("A deployment's build log", "Plain text; with ?follow=true streamed until the deployment ends.",
            new Answer(200, "The log.", typeof(string), "text/plain"), NotFound),
        ["GET functions"] = new("Functions", "Every function: its live version, settings (never env values), URL and aliases (a split live with its weights).",
            new Answer(200, "The functions.", typeof(IReadOnlyList<FunctionResponse>))),
        ["GET functions/{name}"] = new("A function", "Its live version, settings (never env values), URL and aliases (a split live with its weights).",
            new Answer(200, "The function.", typeof(FunctionResponse)), NotFound),
        ["GET functions/{name}/versions"] = new("A function's versions",
            "Every version, newest first, with which is live and which an image collector keeps (live, alias targets, the Epsilon:Builder:RollbackWindow ready versions before live); ?deleted=true adds a deleted function's history.",
            new Answer(200, "The versions.", typeof(IReadOnlyList<VersionResponse>)), NotFound),
        ["POST functions/{name}/rollback"] = new("Roll a function back",
            "Makes {\"version\": N} live, or with no body the newest ready version before the live one; answers once every gateway serves it. Deploy scope, held to the token's repositories.",
            new Answer(200, "Rolled back, and which gateways serve it.", typeof(RollbackResponse)),
            new Answer(400, "A body that is not {\"version\": <positive number>}.", typeof(ErrorBody)),
            new Answer(403, "The token may not change this function's repository.", typeof(ErrorBody)),
            new Answer(404, "No such function or version.", typeof(ErrorBody)),
            new Answer(409, "Already live, not ready (failed, building, deleted), its image collected (ImageCollected), or no previous version.", typeof(ErrorBody)))
        {
            RequestBody = typeof(RollbackRequest),
        },
        ["DELETE functions/{name}"] = new("Delete a function",
            "Every gateway drops its routes and containers before the answer, then its images leave the registry; its name is free and its history stays readable. Deploy scope, held to the token's repositories.",
            new Answer(200, "Deleted: the images removed, any that could not be, and the rollout.", typeof(DeleteResponse)),
            new Answer(403, "The token may not change this function's repository.", typeof(ErrorBody)), NotFound),
        ["GET functions/stale"] = new("Stale versions",
            "The versions calls reach (live, and alias targets) built on other runtime images than a build now uses: a base or build image rebuilt since (by image id, so a rebuilt tag counts), or a new Dockerfile template or wrapper. Each with its function, repository, commit, runtime, what reaches it, what it was built on (null when its image records nothing: built before this was recorded, or absent from the builder's daemon) and the current images.",
            new Answer(200, "The stale versions, by function and version.", typeof(IReadOnlyList<StaleVersionResponse>))),
        ["POST functions/rebuild"] = new("Rebuild functions on the current runtime images",
            "Deploys again, with force, the repository and commit each function's live version was built from, for {\"functions\": [...]} or with ?stale=true every function whose live version is stale (a version only an alias reaches is listed, not rebuilt). One deploy per repository and commit, building every function of its manifest; each makes new versions live as a deploy does (env overrides and secrets kept; every gateway serves the new version, draining the old one's containers, before the answer). Answers when all have ended. Deploy scope, held to the token's repositories.",
            new Answer(200, "Each redeploy: ready, failed or refused (not started), with the versions it made live and which gateways serve them; failed counts those that did not succeed.", typeof(RebuildResponse)),
            new Answer(400, "A bad body, or neither functions nor ?stale=true.", typeof(ErrorBody)),
            new Answer(403, "The token may not deploy one of the repositories.", typeof(ErrorBody)),
            new Answer(404, "A named function does not exist or has no live version.", typeof(ErrorBody)))
        {
            RequestBody = typeof(RebuildRequest),
        },
        ["GET functions/{name}/aliases"] = new("A function's aliases",
            "Every alias with its weights by version, live first (plain calls go to it; a canary split when it has several). Call one at {gateway}/{function}@{alias}/, a version at {function}@v{N}, or by host.",
            new Answer(200, "The aliases.", typeof(IReadOnlyList<AliasResponse>)), NotFound),
        ["PUT functions/{name}/aliases/{alias}"] = new("Set an alias",
            "Points an alias at {\"version\": N}, or splits it by {\"weights\": {\"7\": 90, \"8\": 10}} (1 to 5 ready versions, each 1..100, summing to 100; a caller keeps its version). Setting live moves what plain calls reach; a deploy, rollback or configuration change that moves live ends a split. Answers once every gateway serves it. Deploy scope, held to the token's repositories.",
            new Answer(200, "Set, and which gateways serve it.", typeof(AliasChangeResponse)),
            new Answer(400, "A bad alias name, body, version or weight, or a version that does not exist or is not ready (the field is named).", typeof(ErrorBody)),
            new Answer(403, "The token may not change this function's repository.", typeof(ErrorBody)), NotFound,
            new Answer(409, "A version whose image the garbage collector removed (ImageCollected).", typeof(ErrorBody)))
        {
            RequestBody = typeof(AliasRequest),
        },
        ["DELETE functions/{name}/aliases/{alias}"] = new("Remove an alias",
            "Gateways stop serving {function}@{alias} before the answer. live cannot be removed. Deploy scope, held to the token's repositories.",
            new Answer(200, "Removed, and which gateways serve the change.", typeof(AliasChangeResponse)),
            new Answer(400, "The alias is live.", typeof(ErrorBody)),
            new Answer(403, "The token may not change this function's repository.", typeof(ErrorBody)),
            new Answer(404, "No such function or alias.", typeof(ErrorBody))),
        ["POST functions/{name}/keys"] = new("Create a function key",
            "For a function with public: false: a key its callers send as X-Epsilon-Key. The secret is in this answer only. Deploy scope, held to the token's repositories.",
            new Answer(201, "The key, with its secret.", typeof(FunctionKeyResponse)),
            new Answer(400, "A bad name.", typeof(ErrorBody)), new Answer(403, "The token may not change this function's repository.", typeof(ErrorBody)), NotFound)
        {
            RequestBody = typeof(FunctionKeyRequest),
        },
        ["GET functions/{name}/keys"] = new("A function's keys", "Without their secrets.",
            new Answer(200, "The keys.", typeof(IReadOnlyList<FunctionKeyResponse>)), NotFound),
        ["DELETE functions/{name}/keys/{id}"] = new("Revoke a function key", "Gateways refuse it from their next table refresh.",
            new Answer(204, "Revoked."), NotFound),
        ["GET functions/{name}/env"] = new("A function's environment",
            "The live version's variables (from the manifest and overrides), the overrides set or unset without a redeploy, and its secrets' names; never a secret's value.",
            new Answer(200, "The environment.", typeof(EnvResponse)), NotFound),
        ["PATCH functions/{name}/env"] = new("Set and unset variables",
            "{\"set\": {\"NAME\": \"value\"}, \"unset\": [\"OTHER\"]}: makes a new version from the live one (same image) with the change and makes it live; answers once every gateway serves it, whose new containers get the new values while the old ones drain. Overrides outlive later deploys, over the manifest's env. Deploy scope, held to the token's repositories.",
            new Answer(200, "The new live version, and which gateways serve it.", typeof(ConfigChangeResponse)),
            new Answer(400, "A bad body, name (POSIX, not EPSILON_*, not PORT) or value, or too many variables (the field is named).", typeof(ErrorBody)),
            new Answer(403, "The token may not change this function's repository.", typeof(ErrorBody)), NotFound,
            new Answer(409, "No live version, or a deployment of the function is building.", typeof(ErrorBody)))
        {
            RequestBody = typeof(EnvChangeRequest),
        },
        ["GET functions/{name}/secrets"] = new("A function's secrets", "Names and times only: a secret's value is never answered.",
            new Answer(200, "The secrets.", typeof(IReadOnlyList<SecretResponse>)), NotFound),
        ["PUT functions/{name}/secrets/{secret}"] = new("Set a secret",
            "{\"value\": \"...\"}: encrypted at rest (AES-256-GCM), given to the function's containers as the variable {secret}, never in an answer, a log, a build or an image. Makes a new live version as an env change does. Deploy scope, held to the token's repositories.",
            new Answer(200, "The new live version, and which gateways serve it.", typeof(ConfigChangeResponse)),
            new Answer(400, "A bad name or value (the field is named), or too many variables.", typeof(ErrorBody)),
            new Answer(403, "The token may not change this function's repository.", typeof(ErrorBody)), NotFound,
            new Answer(409, "No key is configured (Epsilon:Secrets:KeyFile or Key), no live version, or a deployment is building.", typeof(ErrorBody)))
        {
            RequestBody = typeof(SecretRequest),
        },
        ["DELETE functions/{name}/secrets/{secret}"] = new("Remove a secret",
            "Makes a new live version without it, as an env change does. Deploy scope, held to the token's repositories.",
            new Answer(200, "The new live version, and which gateways serve it.", typeof(ConfigChangeResponse)),
            new Answer(403, "The token may not change this function's repository.", typeof(ErrorBody)),
            new Answer(404, "No such function or secret.", typeof(ErrorBody)),
            new Answer(409, "No live version, or a deployment is building.", typeof(ErrorBody))),
        ["POST tokens"] = new("Create an API token",
            "Admin scope. Scope read, deploy or admin; a deploy token may be held to named repositories. The secret is in this answer only.",
            new Answer(201, "The token, with its secret.", typeof(TokenResponse)), new Answer(400, "A bad name, scope or repository.", typeof(ErrorBody)))
        {
            RequestBody = typeof(TokenRequest),
        },
        ["GET tokens"] = new("API tokens", "Admin scope. Never their secrets or hashes.",
            new Answer(200, "The tokens.", typeof(IReadOnlyList<TokenResponse>))),
        ["DELETE tokens/{id}"] = new("Revoke an API token", "Admin scope. Refused from the next call on.",
            new Answer(204, "Revoked."), new Answer(404, "No valid token has that id.", typeof(ErrorBody))),
        ["GET audit"] = new("The audit log",
            "Admin scope. Every control-plane action (every call but a plain read, and every refused call), newest first: who (the token's id and name), when, from which address, the method and route, what it acted on, its status and outcome. Never a body, a query string or a secret. ?since=<ISO time>, ?limit=<1-1000, default 100>, ?before=<id> (the previous page's nextBefore).",
            new Answer(200, "A page of entries, and nextBefore when older ones remain.", typeof(AuditPageResponse)),
            new Answer(400, "A bad since, limit or before (the field is named).", typeof(ErrorBody))),
        ["POST maintenance/collect"] = new("Collect garbage now",
            "Admin scope. One pass of what Epsilon:Builder:CollectInterval runs: versions no alias or rollback can reach, beyond the newest Epsilon:Builder:KeepVersions ready ones, lose their images in the registry (marked imageRemovedAt; they can no longer be made live or aliased), and build logs of deployments finished more than Epsilon:Builder:DeploymentLogRetention ago are emptied. ?function=name: that function's images only.",
            new Answer(200, "What the pass collected, removed, could not remove, and how many logs it emptied.", typeof(Epsilon.Builder.Garbage.GarbageReport)),
            new Answer(400, "A function that is not a function name.", typeof(ErrorBody))),
        ["GET openapi/{documentName}.json"] = new("This document", "The builder's API as OpenAPI 3.1.", new Answer(200, "The document.")),
        ["POST api/projects"] = new("Deploy (eserveless)", "eserveless's own API shape, so its CLI works against Epsilon.",
            new Answer(200, "Deployed: {message, repository, project, functions}."), new Answer(400, "Bad request."),
            new Answer(409, "A function name belongs to another repository."), new Answer(422, "The deploy failed."),
            new Answer(429, "The deployment queue is full: try again after Retry-After seconds."))
        {
            RequestBody = typeof(DeployRequest),
        },
    };

    /// <summary>Adds the document and fills each operation in from the table.</summary>
    public static IServiceCollection AddBuilderApiDocumentation(this IServiceCollection services) => services.AddOpenApi(DocumentName, options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                ["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token (eps_...): scopes read < deploy < admin. Every call but the health endpoint needs one.",
                },
            };
            document.Info = new OpenApiInfo
            {
                Title = "Epsilon builder API",
                Version = DocumentName,
                Description = "Deploy Git repositories as functions and read what is deployed. Errors answer {\"error\": {\"code\", \"message\", \"field\", \"details\"}}.",
            };
            document.Servers?.Clear();
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var key = $"{context.Description.HttpMethod} {context.Description.RelativePath?.TrimEnd('/')}";
            if (!s_operations.TryGetValue(key, out var documented))
            {
                return;
            }

            operation.Summary = documented.Summary;
            operation.Description = documented.Description;
            operation.Responses ??= [];
            operation.Responses.Clear();
            if (documented.RequestBody is { } request)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = await SchemaAsync(request) } },
                };
            }

            foreach (var answer in documented.Answers)
            {
                var response = new OpenApiResponse { Description = answer.Description };
                if (answer.Body is { } body)
                {
                    response.Content = new Dictionary<string, OpenApiMediaType> { [answer.ContentType] = new() { Schema = await SchemaAsync(body) } };
                }

                operation.Responses[answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
            }

            // Records become shared components, referenced by name; strings and lists stay inline.
            async Task<IOpenApiSchema> SchemaAsync(Type type)
            {
                var schema = await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken);
                if (type == typeof(string) || type.IsGenericType || context.Document is not { } document)
                {
                    return schema;
                }

                document.AddComponent(type.Name, schema);
                return new OpenApiSchemaReference(type.Name, document);
            }
        });
    });
}
