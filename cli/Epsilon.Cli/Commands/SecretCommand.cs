using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary>The body of <c>PUT /functions/{name}/secrets/{secret}</c>.</summary>
internal sealed record SecretRequestBody(string Value);

/// <summary>
/// <c>epsilon secret ls|set|rm FUNCTION</c>: values encrypted at rest and given to the function's containers as variables,
/// never shown again. A value is never a command-line argument (it would land in shell history and process lists): it
/// comes from standard input, a file, or a prompt.
/// </summary>
internal static class SecretCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("secret", "List, set and remove a function's secrets (values are never shown)");
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(SetCommand(context));
        command.Subcommands.Add(RemoveCommand(context));
        return command;
    }

    private static Argument<string> FunctionArgument() => new("function") { Description = "The function's name" };

    private static Argument<string> NameArgument() => new("name") { Description = "The secret's name: the variable the function reads" };

    private static string SecretsPath(string function) => "functions/" + Uri.EscapeDataString(function) + "/secrets";

    private static Command ListCommand(CliContext context)
    {
        var function = FunctionArgument();
        var json = CliContext.JsonOption();
        var command = new Command("ls", "List a function's secrets: names and times, never values") { function, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var secrets = await builder.GetJsonAsync(SecretsPath(result.GetValue(function)!), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, secrets);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("NAME", "CREATED", "UPDATED");
            foreach (var secret in secrets.EnumerateArray())
            {
                table.AddRow(Markup.Escape(Output.Text(secret, "name")), Output.Time(secret, "createdAt"), Output.Time(secret, "updatedAt"));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetCommand(CliContext context)
    {
        var function = FunctionArgument();
        var name = NameArgument();
        var valueFile = new Option<FileInfo?>("--value-file")
        {
            Description = "Read the value from this file ('-': standard input). Default: standard input when it is not a terminal, else a prompt that does not echo. One trailing newline is dropped",
        };
        var json = CliContext.JsonOption();
        var command = new Command("set", "Set a secret in a new live version; its value never appears on the command line") { function, name, valueFile, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var value = await ReadValueAsync(context, result.GetValue(valueFile), cancellationToken);
            if (value.Length == 0)
            {
                throw new CliException(ExitCodes.Usage, "the secret's value is empty; give it on standard input or with --value-file");
            }

            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var answer = await builder.PutJsonAsync(SecretsPath(result.GetValue(function)!) + "/" + Uri.EscapeDataString(result.GetValue(name)!),
                JsonSerializer.Serialize(new SecretRequestBody(value), CliJsonContext.Default.SecretRequestBody), cancellationToken);
            return await EnvCommand.ReportChangeAsync(context, answer, result.GetValue(json));
        });
        return command;
    }

    private static Command RemoveCommand(CliContext context)
    {
        var function = FunctionArgument();
        var name = NameArgument();
        var json = CliContext.JsonOption();
        var command = new Command("rm", "Remove a secret in a new live version") { function, name, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var answer = await builder.DeleteJsonAsync(SecretsPath(result.GetValue(function)!) + "/" + Uri.EscapeDataString(result.GetValue(name)!),
                cancellationToken);
            return await EnvCommand.ReportChangeAsync(context, answer, result.GetValue(json));
        });
        return command;
    }

    private static async Task<string> ReadValueAsync(CliContext context, FileInfo? file, CancellationToken cancellationToken)
    {
        string text;
        if (file is not null && file.Name != "-")
        {
            try
            {
                text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.Usage, $"--value-file '{file}' cannot be read: {ex.Message}");
            }
        }
        else if (file is not null || Console.IsInputRedirected)
        {
            text = await Console.In.ReadToEndAsync(cancellationToken);
        }
        else
        {
            return await context.Console.PromptAsync(new TextPrompt<string>("Value:").Secret(), cancellationToken);
        }

        // What 'echo value | epsilon secret set' and editors add, not part of the value.
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
    }
}
