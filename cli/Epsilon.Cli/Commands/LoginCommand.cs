using System.CommandLine;
using Epsilon.Cli.Api;
using Epsilon.Cli.Configuration;

namespace Epsilon.Cli.Commands;

/// <summary><c>epsilon login</c>: checks that the builder answers with these settings, then saves them for the other verbs.</summary>
internal static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("login", "Save the builder's URL, token and CA for the other verbs, after checking that they work");
        command.SetAction(async (result, cancellationToken) =>
        {
            var profile = context.Connection.Resolve(result);
            if (profile.CaFile is { } ca)
            {
                profile = profile with { CaFile = Path.GetFullPath(ca) };
            }

            using var builder = new BuilderClient(profile);
            await builder.CheckHealthAsync(cancellationToken);
            // A read that needs the token once the builder asks for one: a bad token fails here, not at the first deploy.
            await builder.GetJsonAsync("functions", cancellationToken);
            CliConfigFile.Save(profile with { Url = builder.BaseUrl.ToString().TrimEnd('/') });
            await context.Error.WriteLineAsync($"Logged in to {builder.BaseUrl.ToString().TrimEnd('/')}; settings saved in {CliConfigFile.Path}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
