using System.CommandLine;
using Epsilon.Cli.Api;

namespace Epsilon.Cli.Commands;

/// <summary>
/// <c>epsilon rm NAME --yes</c>: deletes a function (routes on every gateway, containers, registry images) and frees its
/// name. Asks first on a terminal; elsewhere it needs <c>--yes</c>, so a script never deletes by accident.
/// </summary>
internal static class RemoveCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("function") { Description = "The function's name" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var json = CliContext.JsonOption();
        var command = new Command("rm", "Delete a function: its routes, containers and images; its name becomes free") { name, yes, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var function = result.GetValue(name)!;
            if (!result.GetValue(yes))
            {
                if (Console.IsInputRedirected)
                {
                    throw new CliException(ExitCodes.Usage, $"rm deletes '{function}' and its images for good; pass --yes to confirm");
                }

                await context.Error.WriteAsync($"Delete function '{function}', its containers and its images? Type its name to confirm: ");
                if (!string.Equals(Console.ReadLine()?.Trim(), function, StringComparison.Ordinal))
                {
                    throw new CliException(ExitCodes.Failed, "not deleted");
                }
            }

            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var answer = await builder.DeleteJsonAsync($"functions/{Uri.EscapeDataString(function)}", cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, answer);
            }
            else
            {
                await context.Output.WriteLineAsync($"{function} deleted; {answer.GetProperty("deletedImages").GetArrayLength()} image(s) removed from the registry");
            }

            foreach (var failure in answer.GetProperty("imageErrors").EnumerateArray())
            {
                await context.Error.WriteLineAsync($"warning: image not removed: {failure.GetString()}");
            }

            await RollbackCommand.WarnLaggardsAsync(context, answer);
            return ExitCodes.Ok;
        });
        return command;
    }
}
