using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary>The body of <c>PUT /functions/{name}/aliases/{alias}</c>: one version, or weights by version.</summary>
internal sealed record AliasRequestBody(int? Version, Dictionary<string, int>? Weights);

/// <summary>
/// <c>epsilon alias set|ls|rm FUNCTION</c>: named versions (<c>fn@beta</c>) and canary splits of live
/// (<c>epsilon alias set hello live --weights 7=90,8=10</c>).
/// </summary>
internal static class AliasCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("alias", "Point aliases at versions, or split live between versions (canary)");
        command.Subcommands.Add(SetCommand(context));
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(RemoveCommand(context));
        return command;
    }

    private static Argument<string> FunctionArgument() => new("function") { Description = "The function's name" };

    private static Argument<string> AliasArgument() => new("alias") { Description = "The alias: live (what plain calls reach) or a name like beta" };

    private static string AliasesPath(string function) => "functions/" + Uri.EscapeDataString(function) + "/aliases";

    private static Command SetCommand(CliContext context)
    {
        var function = FunctionArgument();
        var alias = AliasArgument();
        var version = new Argument<int?>("version") { Description = "The version it points at", Arity = ArgumentArity.ZeroOrOne };
        var weights = new Option<string?>("--weights") { Description = "A split instead of one version: VERSION=WEIGHT,... summing to 100, e.g. 7=90,8=10" };
        var json = CliContext.JsonOption();
        var command = new Command("set", "Point an alias at a version, or split it with --weights; answers once every gateway serves it")
        {
            function, alias, version, weights, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var body = (result.GetValue(version), result.GetValue(weights)) switch
            {
                ({ } one, null) => new AliasRequestBody(one, null),
                (null, { } split) => new AliasRequestBody(null, ParseWeights(split)),
                _ => throw new CliException(ExitCodes.Usage, "give either a version or --weights VERSION=WEIGHT,..."),
            };
            var name = result.GetValue(function)!;
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var answer = await builder.PutJsonAsync(AliasesPath(name) + "/" + Uri.EscapeDataString(result.GetValue(alias)!),
                JsonSerializer.Serialize(body, CliJsonContext.Default.AliasRequestBody), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, answer);
                return ExitCodes.Ok;
            }

            await context.Output.WriteLineAsync($"{name}@{Output.Text(answer, "alias")}: {Describe(answer)} at {Output.Text(answer, "url")}");
            await RollbackCommand.WarnLaggardsAsync(context, answer);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var function = FunctionArgument();
        var json = CliContext.JsonOption();
        var command = new Command("ls", "List a function's aliases, live first") { function, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var aliases = await builder.GetJsonAsync(AliasesPath(result.GetValue(function)!), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, aliases);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("ALIAS", "VERSIONS", "URL", "UPDATED");
            foreach (var alias in aliases.EnumerateArray())
            {
                table.AddRow(Markup.Escape(Output.Text(alias, "name")), Markup.Escape(Describe(alias)), Markup.Escape(Output.Text(alias, "url")),
                    Output.Text(alias, "updatedAt"));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RemoveCommand(CliContext context)
    {
        var function = FunctionArgument();
        var alias = AliasArgument();
        var json = CliContext.JsonOption();
        var command = new Command("rm", "Remove an alias (not live); answers once every gateway dropped it") { function, alias, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(function)!;
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var answer = await builder.DeleteJsonAsync(AliasesPath(name) + "/" + Uri.EscapeDataString(result.GetValue(alias)!), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, answer);
                return ExitCodes.Ok;
            }

            await context.Error.WriteLineAsync($"Removed alias {result.GetValue(alias)} of {name}.");
            await RollbackCommand.WarnLaggardsAsync(context, answer);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>7=90,8=10</c> as weights by version; the builder checks the numbers, this only their shape.</summary>
    private static Dictionary<string, int> ParseWeights(string text)
    {
        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Split('=', 2, StringSplitOptions.TrimEntries) is not [var version, var weight]
                || !int.TryParse(version.TrimStart('v'), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || !int.TryParse(weight, NumberStyles.None, CultureInfo.InvariantCulture, out var share))
            {
                throw new CliException(ExitCodes.Usage, $"--weights takes VERSION=WEIGHT pairs like 7=90,8=10, not '{part}'");
            }

            weights[number.ToString(CultureInfo.InvariantCulture)] = share;
        }

        return weights.Count > 0 ? weights : throw new CliException(ExitCodes.Usage, "--weights names no version");
    }

    /// <summary><c>v7</c>, or <c>v7 90%, v8 10%</c> for a split.</summary>
    internal static string Describe(JsonElement alias) =>
        alias.TryGetProperty("weights", out var weights) && weights.ValueKind == JsonValueKind.Object
            ? string.Join(", ", weights.EnumerateObject().Select(w => weights.EnumerateObject().Count() == 1 ? $"v{w.Name}" : $"v{w.Name} {w.Value}%"))
            : "";
}
