using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary>The body of <c>POST /functions/rebuild</c>.</summary>
internal sealed record RebuildRequestBody(IReadOnlyList<string> Functions);

/// <summary>
/// <c>epsilon rebuild --stale | NAME...</c>: deploys again, on the current runtime images, the commit each function's live
/// version was built from, and prints the versions made live.
/// </summary>
internal static class RebuildCommand
{
    // Builds run on the builder while this waits: as long as a deploy may take, and then some.
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(60);

    public static Command Create(CliContext context)
    {
        var names = new Argument<string[]>("functions") { Description = "The functions to rebuild", Arity = ArgumentArity.ZeroOrMore };
        var stale = new Option<bool>("--stale") { Description = "Rebuild every function whose live version is stale ('epsilon stale' lists them)" };
        var json = CliContext.JsonOption();
        var command = new Command("rebuild", "Rebuild functions on the current runtime images and make the new versions live") { names, stale, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var functions = result.GetValue(names) ?? [];
            if ((functions.Length > 0) == result.GetValue(stale))
            {
                throw new CliException(ExitCodes.Usage, "name the functions to rebuild, or rebuild every stale one with --stale (not both)");
            }

            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var answer = functions.Length > 0
                ? await builder.PostJsonAsync("functions/rebuild",
                    JsonSerializer.Serialize(new RebuildRequestBody(functions), CliJsonContext.Default.RebuildRequestBody), s_timeout, cancellationToken)
                : await builder.PostJsonAsync("functions/rebuild?stale=true", "", s_timeout, cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, answer);
            }
            else if (answer.GetProperty("rebuilds").GetArrayLength() == 0)
            {
                await context.Output.WriteLineAsync("Nothing is stale: every live version is built on the current runtime images.");
            }
            else
            {
                var table = new Table().AddColumns("REPOSITORY", "COMMIT", "STATUS", "LIVE NOW");
                foreach (var rebuild in answer.GetProperty("rebuilds").EnumerateArray())
                {
                    var commit = Output.Text(rebuild, "commit");
                    table.AddRow(
                        Markup.Escape(Output.Text(rebuild, "repository")),
                        Markup.Escape(commit.Length > 12 ? commit[..12] : commit),
                        Markup.Escape(Output.Text(rebuild, "status")),
                        Markup.Escape(string.Join(", ", rebuild.GetProperty("versions").EnumerateArray()
                            .Select(v => $"{Output.Text(v, "name")} v{Output.Text(v, "version")}"))));
                }

                context.Console.Write(table);
            }

            foreach (var failed in answer.GetProperty("rebuilds").EnumerateArray().Where(r => Output.Text(r, "status") != "ready"))
            {
                await context.Error.WriteLineAsync($"{Output.Text(failed, "repository")}: {Output.Text(failed, "status")}: {Output.Text(failed, "error")}");
            }

            return answer.GetProperty("failed").GetInt32() == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
