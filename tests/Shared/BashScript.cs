using System.Diagnostics;

namespace Epsilon.Tests.Shared;

/// <summary>Runs a bash script given on standard input, for test set-up that is shell work (clusters, namespaces).</summary>
internal static class BashScript
{
    /// <summary>
    /// Runs <paramref name="script"/> and returns what it printed; a non-zero exit throws, saying <paramref name="what"/>
    /// failed and bash's errors.
    /// </summary>
    public static string Run(string script, string what)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed ({process.ExitCode}): {errors.Result}");
        }

        return output;
    }
}
