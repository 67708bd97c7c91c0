using System.CommandLine;
using Epsilon.Cli.Configuration;
using Spectre.Console;

namespace Epsilon.Cli;

/// <summary>What every verb writes to and how it reaches the builder.</summary>
/// <param name="Output">Standard output: results, JSON with <c>--json</c>.</param>
/// <param name="Error">Standard error: progress, build logs, errors.</param>
/// <param name="Console">Tables and colour on standard output.</param>
/// <param name="Connection">The options that say where the builder is.</param>
internal sealed record CliContext(TextWriter Output, TextWriter Error, IAnsiConsole Console, ConnectionOptions Connection)
{
    /// <summary>The <c>--json</c> option of a read: the API's own JSON on standard output, nothing else there.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "Print the result as JSON (stable for scripts)" };
}
