using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;

namespace Epsilon.Cli.Commands;

/// <summary>The body of <c>POST /functions/{name}/rollback</c>; no version means the one before the live one.</summary>
internal sealed record RollbackRequestBody(int? Version);

/// <summary><c>epsilon rollback NAME [--to N]</c>: makes an earlier (or any ready) version live on every gateway.</summary>
internal static class RollbackCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("function") { Description = "The function's name" };
        var to = new Option<int?>("--to") { Description = "The version to make live (default: the ready version before the live one)" };
        var json = CliContext.JsonOption();
        var command = new Command("rollback", "Make a previous (or the given) version of a function live") { name, to, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var function = result.GetValue(name)!;
            if (result.GetValue(to) is <= 0)
            {
                throw new CliException(ExitCodes.Usage, $"--to takes a version number from 1, not {result.GetValue(to)}");
            }

            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var answer = await builder.PostJsonAsync($"functions/{Uri.EscapeDataString(function)}/rollback",
                JsonSerializer.Serialize(new RollbackRequestBody(result.GetValue(to)), CliJsonContext.Default.RollbackRequestBody), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, answer);
                return ExitCodes.Ok;
            }

            await context.Output.WriteLineAsync(
                $"{function}: v{Output.Text(answer, "version")} is live (was v{Output.Text(answer, "previousVersion")}) at {Output.Text(answer, "url")}");
            await WarnLaggardsAsync(context, answer);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Names the gateways that did not take the change in time, on standard error.</summary>
    public static async Task WarnLaggardsAsync(CliContext context, JsonElement answer)
    {
        if (answer.TryGetProperty("rollout", out var rollout) && Output.Text(rollout, "complete") == "false")
        {
            await context.Error.WriteLineAsync($"warning: gateway(s) {Output.Text(rollout, "laggards")} did not confirm the change in time");
        }
    }
}
