namespace Epsilon.Cli;

/// <summary>A failure the CLI reports in one line a person can act on, with the exit code it maps to.</summary>
internal sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
