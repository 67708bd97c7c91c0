using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Epsilon.Cli.Git;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary>The body of <c>POST /deployments</c>.</summary>
internal sealed record DeployRequestBody(string Repository, string? Ref);

/// <summary>
/// <c>epsilon deploy [repository]</c>: starts a deployment, streams its build log to standard error as it is written,
/// and ends with each function's URL. With no repository, the current checkout's origin at its current commit.
/// </summary>
internal static class DeployCommand
{
    public static Command Create(CliContext context)
    {
        var repository = new Argument<string?>("repository")
        {
            Description = "owner/repo, an https URL, or (where the builder allows it) a path; default: this checkout's origin at its current commit",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var gitRef = new Option<string?>("--ref") { Description = "Branch, tag or commit to deploy (default: the repository's default branch)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not stream the build log" };
        var force = new Option<bool>("--force") { Description = "Build new versions even when the live ones were built from the same commit, manifest and runtime image" };
        var json = CliContext.JsonOption();
        var command = new Command("deploy", "Deploy a repository's functions and print their URLs") { repository, gitRef, quiet, force, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var target = result.GetValue(repository);
            var targetRef = result.GetValue(gitRef);
            if (target is not null && target.StartsWith('-'))
            {
                throw new CliException(ExitCodes.Usage, $"'{target}' is not an option of deploy, nor a repository");
            }

            if (target is null)
            {
                var checkout = GitCheckout.Detect(Directory.GetCurrentDirectory());
                if (targetRef is not null)
                {
                    throw new CliException(ExitCodes.Usage, "--ref needs a repository: with none, the checkout's current commit is deployed");
                }

                target = checkout.Remote;
                targetRef = checkout.Commit;
                await context.Error.WriteLineAsync($"Deploying {target} at {checkout.Commit[..12]}" +
                    (checkout.Dirty ? " (uncommitted changes in this checkout are not deployed)" : ""));
            }

            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var started = await builder.PostJsonAsync(result.GetValue(force) ? "deployments?wait=false&force=true" : "deployments?wait=false",
                JsonSerializer.Serialize(new DeployRequestBody(target, targetRef), CliJsonContext.Default.DeployRequestBody), cancellationToken);
            var id = Output.Text(started, "deploymentId");
            if (!result.GetValue(quiet))
            {
                await builder.StreamTextAsync($"deployments/{Uri.EscapeDataString(id)}/log?follow=true", context.Error, cancellationToken);
            }

            var deployment = await WaitForEndAsync(builder, id, cancellationToken);
            var ready = Output.Text(deployment, "status") == "ready";
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, deployment);
            }
            else if (ready)
            {
                var table = new Table().AddColumns("FUNCTION", "VERSION", "URL");
                foreach (var function in deployment.GetProperty("functions").EnumerateArray())
                {
                    var version = Output.Text(function, "version") + (Output.Text(function, "unchanged") == "true" ? " (unchanged)" : "");
                    table.AddRow(Markup.Escape(Output.Text(function, "name")), Markup.Escape(version), Markup.Escape(Output.Text(function, "url")));
                }

                context.Console.Write(table);
            }

            if (!ready)
            {
                throw new CliException(ExitCodes.Failed, $"deployment {id} failed: {Output.Text(deployment, "error")}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The deployment once it is no longer building (the log stream ends then too; this covers <c>--quiet</c>).</summary>
    private static async Task<JsonElement> WaitForEndAsync(BuilderClient builder, string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var deployment = await builder.GetJsonAsync($"deployments/{Uri.EscapeDataString(id)}", cancellationToken);
            if (Output.Text(deployment, "status") != "building")
            {
                return deployment;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}
