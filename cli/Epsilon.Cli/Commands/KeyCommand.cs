using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary><c>epsilon key create|ls|revoke FUNCTION</c>: the keys callers of a function that is not public send in <c>X-Epsilon-Key</c>.</summary>
internal static class KeyCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("key", "Create, list and revoke a function's keys (for functions with public: false)");
        command.Subcommands.Add(CreateCommand(context));
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(RevokeCommand(context));
        return command;
    }

    private static Argument<string> FunctionArgument() => new("function") { Description = "The function's name" };

    private static string KeysPath(string function) => "functions/" + Uri.EscapeDataString(function) + "/keys";

    private static Command CreateCommand(CliContext context)
    {
        var function = FunctionArgument();
        var name = new Option<string?>("--name") { Description = "Which caller will hold it (default: default)" };
        var json = CliContext.JsonOption();
        var command = new Command("create", "Create a key; prints it once (alone on standard output)") { function, name, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var body = JsonSerializer.Serialize(new KeyRequestBody(result.GetValue(name)), CliJsonContext.Default.KeyRequestBody);
            var key = await builder.PostJsonAsync(KeysPath(result.GetValue(function)!), body, cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, key);
                return ExitCodes.Ok;
            }

            await context.Error.WriteLineAsync(
                $"Created key '{Output.Text(key, "name")}' ({Output.Text(key, "id")}) of {Output.Text(key, "function")}; send it as X-Epsilon-Key. It is not shown again:");
            await context.Output.WriteLineAsync(Output.Text(key, "key"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var function = FunctionArgument();
        var json = CliContext.JsonOption();
        var command = new Command("ls", "List a function's keys (never the keys themselves)") { function, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var keys = await builder.GetJsonAsync(KeysPath(result.GetValue(function)!), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, keys);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("ID", "NAME", "CREATED", "REVOKED");
            foreach (var key in keys.EnumerateArray())
            {
                table.AddRow(Output.Text(key, "id"), Markup.Escape(Output.Text(key, "name")), Output.Text(key, "createdAt"), Output.Text(key, "revokedAt"));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RevokeCommand(CliContext context)
    {
        var function = FunctionArgument();
        var id = new Argument<string>("id") { Description = "The key's id (from 'epsilon key ls')" };
        var command = new Command("revoke", "Revoke a key; gateways refuse it within a moment") { function, id };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            await builder.DeleteAsync(KeysPath(result.GetValue(function)!) + "/" + Uri.EscapeDataString(result.GetValue(id)!), cancellationToken);
            await context.Error.WriteLineAsync($"Revoked key {result.GetValue(id)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>The body of <c>POST /functions/{name}/keys</c>.</summary>
internal sealed record KeyRequestBody(string? Name);
