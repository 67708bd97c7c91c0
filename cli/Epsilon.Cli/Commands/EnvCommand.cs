using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary>The body of <c>PATCH /functions/{name}/env</c>.</summary>
internal sealed record EnvRequestBody(IReadOnlyDictionary<string, string>? Set, IReadOnlyList<string>? Unset);

/// <summary>
/// <c>epsilon env ls|set|unset FUNCTION</c>: a function's environment without a redeploy. Each change makes a new live
/// version (same image) on every gateway before it returns; later deploys keep it.
/// </summary>
internal static class EnvCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("env", "List, set and unset a function's environment variables (no redeploy; later deploys keep them)");
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(SetCommand(context));
        command.Subcommands.Add(UnsetCommand(context));
        return command;
    }

    private static Argument<string> FunctionArgument() => new("function") { Description = "The function's name" };

    private static string EnvPath(string function) => "functions/" + Uri.EscapeDataString(function) + "/env";

    private static Command ListCommand(CliContext context)
    {
        var function = FunctionArgument();
        var json = CliContext.JsonOption();
        var command = new Command("ls", "List the live version's variables, which of them are overrides, and the secrets' names (never their values)")
        {
            function, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var env = await builder.GetJsonAsync(EnvPath(result.GetValue(function)!), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, env);
                return ExitCodes.Ok;
            }

            var overrides = env.GetProperty("overrides").EnumerateArray().ToDictionary(o => Output.Text(o, "name"), StringComparer.Ordinal);
            var table = new Table().AddColumns("NAME", "VALUE", "FROM");
            foreach (var variable in env.GetProperty("env").EnumerateObject())
            {
                table.AddRow(Markup.Escape(variable.Name), Markup.Escape(variable.Value.GetString() ?? ""),
                    overrides.ContainsKey(variable.Name) ? "env set" : "manifest");
            }

            foreach (var removed in overrides.Values.Where(o => Output.Text(o, "unset") == "true"))
            {
                table.AddRow(Markup.Escape(Output.Text(removed, "name")), "", "env unset");
            }

            foreach (var secret in env.GetProperty("secrets").EnumerateArray())
            {
                table.AddRow(Markup.Escape(secret.GetString() ?? ""), "(secret)", "secret set");
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetCommand(CliContext context)
    {
        var function = FunctionArgument();
        var pairs = new Argument<string[]>("NAME=VALUE") { Description = "Variables to set", Arity = ArgumentArity.OneOrMore };
        var json = CliContext.JsonOption();
        var command = new Command("set", "Set variables in a new live version; for secrets use 'epsilon secret set', which keeps values out of shell history")
        {
            function, pairs, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var set = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in result.GetValue(pairs)!)
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new CliException(ExitCodes.Usage, $"'{pair}' is not NAME=VALUE");
                }

                set[pair[..equals]] = pair[(equals + 1)..];
            }

            return await ChangeAsync(context, result, result.GetValue(function)!, new EnvRequestBody(set, null), result.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static Command UnsetCommand(CliContext context)
    {
        var function = FunctionArgument();
        var names = new Argument<string[]>("NAME") { Description = "Variables to remove (a manifest's too, until set again)", Arity = ArgumentArity.OneOrMore };
        var json = CliContext.JsonOption();
        var command = new Command("unset", "Remove variables in a new live version") { function, names, json };
        command.SetAction(async (result, cancellationToken) =>
            await ChangeAsync(context, result, result.GetValue(function)!, new EnvRequestBody(null, result.GetValue(names)!), result.GetValue(json),
                cancellationToken));
        return command;
    }

    private static async Task<int> ChangeAsync(CliContext context, ParseResult result, string function, EnvRequestBody body, bool json,
        CancellationToken cancellationToken)
    {
        using var builder = new BuilderClient(context.Connection.Resolve(result));
        var answer = await builder.PatchJsonAsync(EnvPath(function), JsonSerializer.Serialize(body, CliJsonContext.Default.EnvRequestBody), cancellationToken);
        return await ReportChangeAsync(context, answer, json);
    }

    /// <summary>Prints an env or secret change's answer: the JSON with <c>--json</c>, else the new live version.</summary>
    public static async Task<int> ReportChangeAsync(CliContext context, JsonElement answer, bool json)
    {
        if (json)
        {
            await Output.JsonAsync(context, answer);
            return ExitCodes.Ok;
        }

        await context.Output.WriteLineAsync(
            $"{Output.Text(answer, "name")}: v{Output.Text(answer, "version")} is live ({Output.Text(answer, "change")}; made from v{Output.Text(answer, "previousVersion")})");
        await RollbackCommand.WarnLaggardsAsync(context, answer);
        return ExitCodes.Ok;
    }
}
