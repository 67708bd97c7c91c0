using System.CommandLine;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary><c>epsilon versions NAME</c>: every version of a function, newest first, and which is live.</summary>
internal static class VersionsCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("function") { Description = "The function's name" };
        var deleted = new Option<bool>("--deleted") { Description = "Include the versions of a deleted function (its history)" };
        var json = CliContext.JsonOption();
        var command = new Command("versions", "List a function's versions, newest first") { name, deleted, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var path = $"functions/{Uri.EscapeDataString(result.GetValue(name)!)}/versions" + (result.GetValue(deleted) ? "?deleted=true" : "");
            var versions = await builder.GetJsonAsync(path, cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, versions);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("VERSION", "STATUS", "LIVE", "COMMIT", "CREATED", "DEPLOYMENT");
            foreach (var version in versions.EnumerateArray())
            {
                var commit = Output.Text(version, "commit");
                var status = Output.Text(version, "status") + (Output.Text(version, "deletedAt") is { Length: > 0 } ? " (deleted)" : "");
                table.AddRow(
                    Output.Text(version, "version"),
                    Markup.Escape(status),
                    Output.Text(version, "live") == "true" ? "*" : "",
                    Markup.Escape(commit.Length > 12 ? commit[..12] : commit),
                    Markup.Escape(Output.Text(version, "createdAt")),
                    Markup.Escape(Output.Text(version, "deploymentId")));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
