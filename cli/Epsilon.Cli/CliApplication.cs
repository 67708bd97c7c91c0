using System.CommandLine;
using Epsilon.Cli.Commands;
using Epsilon.Cli.Configuration;
using Spectre.Console;

namespace Epsilon.Cli;

/// <summary>The <c>epsilon</c> command: its verbs, and how failures become one line on standard error and an exit code.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
        {
            // Not a terminal: no width to fit, so tables keep each row on one line for grep and awk.
            console.Profile.Width = 250;
        }

        var context = new CliContext(output, error, console, new ConnectionOptions());
        var root = new RootCommand("Epsilon: deploy functions from Git repositories and call them.");
        context.Connection.AddTo(root);
        root.Subcommands.Add(LoginCommand.Create(context));
        root.Subcommands.Add(DeployCommand.Create(context));
        root.Subcommands.Add(ListCommand.Create(context));
        root.Subcommands.Add(InfoCommand.Create(context));
        root.Subcommands.Add(InvokeCommand.Create(context));
        root.Subcommands.Add(TokenCommand.Create(context));
        root.Subcommands.Add(KeyCommand.Create(context));
        root.Subcommands.Add(VersionsCommand.Create(context));
        root.Subcommands.Add(RollbackCommand.Create(context));
        root.Subcommands.Add(StaleCommand.Create(context));
        root.Subcommands.Add(RebuildCommand.Create(context));
        root.Subcommands.Add(AliasCommand.Create(context));
        root.Subcommands.Add(RemoveCommand.Create(context));
        root.Subcommands.Add(EnvCommand.Create(context));
        root.Subcommands.Add(SecretCommand.Create(context));
        root.Subcommands.Add(AuditCommand.Create(context));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"epsilon: {parseError.Message}");
            }

            await error.WriteLineAsync("Run 'epsilon --help' for the verbs and their options.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync($"epsilon: {ex.Message}");
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Failed;
        }
    }
}
