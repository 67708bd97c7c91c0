using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary><c>epsilon stale</c>: the versions calls reach that were built on older runtime images or wrapper than a build now uses.</summary>
internal static class StaleCommand
{
    public static Command Create(CliContext context)
    {
        var json = CliContext.JsonOption();
        var command = new Command("stale", "List live (and alias) versions built on older runtime images; 'epsilon rebuild --stale' rebuilds them") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var stale = await builder.GetJsonAsync("functions/stale", cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, stale);
                return ExitCodes.Ok;
            }

            if (stale.GetArrayLength() == 0)
            {
                await context.Output.WriteLineAsync("Every version calls reach is built on the current runtime images.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("FUNCTION", "VERSION", "RUNTIME", "SERVES", "CHANGED", "BUILT ON", "CURRENT");
            foreach (var version in stale.EnumerateArray())
            {
                table.AddRow(
                    Markup.Escape(Output.Text(version, "function")),
                    Output.Text(version, "version"),
                    Markup.Escape(Output.Text(version, "runtime")),
                    Markup.Escape(Join(version, "serves")),
                    Markup.Escape(Join(version, "changed")),
                    Markup.Escape(BaseImage(version, "builtOn")),
                    Markup.Escape(BaseImage(version, "current")));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Join(JsonElement element, string name) =>
        string.Join(", ", element.GetProperty(name).EnumerateArray().Select(e => e.GetString()));

    /// <summary>The base image's short id, as <c>docker images</c> shows it; <c>unknown</c> when nothing was recorded.</summary>
    private static string BaseImage(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var runtime) || runtime.ValueKind != JsonValueKind.Object)
        {
            return "unknown";
        }

        var id = Output.Text(runtime, "baseImage");
        return id.StartsWith("sha256:", StringComparison.Ordinal) && id.Length >= 19 ? id[7..19] : id;
    }
}
