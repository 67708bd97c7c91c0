using System.CommandLine;

namespace Epsilon.Cli.Configuration;

/// <summary>
/// The options every verb takes to reach the builder. Each falls back to its environment variable, then to the profile
/// <c>epsilon login</c> saved.
/// </summary>
internal sealed class ConnectionOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = "The builder's URL (env EPSILON_URL; default: the one 'epsilon login' saved)",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "The bearer token (env EPSILON_TOKEN; default: the one 'epsilon login' saved)",
        Recursive = true,
    };

    public Option<string?> CaFile { get; } = new("--ca-file")
    {
        Description = "PEM file of the CA that signed the builder's certificate (env EPSILON_CA_FILE)",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
        command.Options.Add(CaFile);
    }

    /// <summary>What this invocation uses: options, then environment, then the saved profile.</summary>
    public CliProfile Resolve(ParseResult result)
    {
        var saved = CliConfigFile.Load();
        return new CliProfile(
            result.GetValue(Url) ?? Env("EPSILON_URL") ?? saved.Url,
            result.GetValue(Token) ?? Env("EPSILON_TOKEN") ?? saved.Token,
            result.GetValue(CaFile) ?? Env("EPSILON_CA_FILE") ?? saved.CaFile);
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
