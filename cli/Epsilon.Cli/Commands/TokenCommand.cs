using System.CommandLine;
using System.Text.Json;
using Epsilon.Cli.Api;
using Spectre.Console;

namespace Epsilon.Cli.Commands;

/// <summary><c>epsilon token create|ls|revoke</c>: the builder's API tokens (needs an admin token).</summary>
internal static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("token", "Create, list and revoke API tokens (admin)");
        command.Subcommands.Add(CreateCommand(context));
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(RevokeCommand(context));
        return command;
    }

    private static Command CreateCommand(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Who or what will hold it, e.g. ci-shop" };
        var scope = new Option<string>("--scope") { Description = "read, deploy or admin", Required = true };
        scope.AcceptOnlyFromAmong("read", "deploy", "admin");
        var repositories = new Option<string[]>("--repository") { Description = "Limit deploys to this repository (repeatable)", AllowMultipleArgumentsPerToken = false };
        var json = CliContext.JsonOption();
        var command = new Command("create", "Create a token; prints its secret once (alone on standard output)") { name, scope, repositories, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var body = new TokenRequestBody(result.GetValue(name)!, result.GetValue(scope)!,
                result.GetValue(repositories) is { Length: > 0 } limited ? limited : null);
            var token = await builder.PostJsonAsync("tokens", JsonSerializer.Serialize(body, CliJsonContext.Default.TokenRequestBody), cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, token);
                return ExitCodes.Ok;
            }

            await context.Error.WriteLineAsync(
                $"Created {Output.Text(token, "scope")} token '{Output.Text(token, "name")}' ({Output.Text(token, "id")}); keep its secret now, it is not shown again:");
            await context.Output.WriteLineAsync(Output.Text(token, "token"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var json = CliContext.JsonOption();
        var command = new Command("ls", "List the tokens (never their secrets)") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var tokens = await builder.GetJsonAsync("tokens", cancellationToken);
            if (result.GetValue(json))
            {
                await Output.JsonAsync(context, tokens);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("ID", "NAME", "SCOPE", "REPOSITORIES", "CREATED", "REVOKED");
            foreach (var token in tokens.EnumerateArray())
            {
                table.AddRow(
                    Output.Text(token, "id"),
                    Markup.Escape(Output.Text(token, "name")),
                    Output.Text(token, "scope"),
                    Markup.Escape(Output.Text(token, "repositories")),
                    Output.Text(token, "createdAt"),
                    Output.Text(token, "revokedAt"));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RevokeCommand(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The token's id (from 'epsilon token ls')" };
        var command = new Command("revoke", "Revoke a token; it is refused from then on") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var builder = new BuilderClient(context.Connection.Resolve(result));
            var token = result.GetValue(id)!;
            await builder.DeleteAsync("tokens/" + Uri.EscapeDataString(token), cancellationToken);
            await context.Error.WriteLineAsync($"Revoked token {token}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>The body of <c>POST /tokens</c>.</summary>
internal sealed record TokenRequestBody(string Name, string Scope, string[]? Repositories);
