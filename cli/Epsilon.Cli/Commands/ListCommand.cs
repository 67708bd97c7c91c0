using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary><c>epsilon ls</c>: the deployed functions, their live versions and URLs.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var json = CliContext.JsonOption();
        var command = new Command("ls", "List the deployed functions") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var functions = await builder.GetJsonAsync("functions", cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, functions);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("NAME", "VERSION", "RUNTIME", "URL", "DEPLOYED");
            foreach (var function in functions.EnumerateArray())
            {
                table.AddRow(
                    Markup.Escape(Output.Text(function, "name")),
                    Output.Text(function, "version"),
                    function.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object ? Markup.Escape(Output.Text(settings, "runtime")) : "",
                    Markup.Escape(Output.Text(function, "url")),
                    Output.Time(function, "deployedAt"));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
