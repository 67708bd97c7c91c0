using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary><c>epsilon info NAME</c>: one function's live version, settings and URL.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("function") { Description = "The function's name" };
        var json = CliContext.JsonOption();
        var command = new Command("info", "Show a function's live version, settings and URL") { name, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var function = result.GetValue(name)!;
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var info = await builder.GetJsonAsync("functions/" + Uri.EscapeDataString(function), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, info);
                return ExitCodes.Ok;
            }

            var grid = new Grid().AddColumn().AddColumn();
            foreach (var key in new[] { "name", "url", "version", "repository", "image", "deploymentId", "deployedAt" })
            {
                grid.AddRow(key, Markup.Escape(Output.Text(info, key)));
            }

            if (info.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object)
            {
                foreach (var setting in settings.EnumerateObject())
                {
                    grid.AddRow(setting.Name, Markup.Escape(Output.Text(settings, setting.Name)));
                }
            }

            if (info.TryGetProperty("aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Array)
            {
                foreach (var alias in aliases.EnumerateArray())
                {
                    grid.AddRow("alias " + Markup.Escape(Output.Text(alias, "name")), Markup.Escape(AliasCommand.Describe(alias)));
                }
            }

            context.Console.Write(grid);
            return ExitCodes.Ok;
        });
        return command;
    }
}
