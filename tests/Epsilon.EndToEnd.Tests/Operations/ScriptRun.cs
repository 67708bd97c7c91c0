using System.Diagnostics;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Operations;

/// <summary>One run of a script under scripts/, with the environment a platform's services get.</summary>
internal sealed record ScriptRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the script wrote, for assertions about what it must never print.</summary>
    public string Output => StandardOutput + StandardError;

    /// <summary>Runs <c>scripts/<paramref name="script"/></c> with <paramref name="arguments"/>, for at most five minutes.</summary>
    public static async Task<ScriptRun> RunAsync(string script, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestRepository.SourceRoot, "scripts", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new ScriptRun(process.ExitCode, await output, await error);
    }

    /// <summary>Fails the test, showing what the script wrote, unless it exited 0.</summary>
    public ScriptRun Succeeded(string what)
    {
        Assert.True(ExitCode == 0, $"{what} exited with {ExitCode}:\n{Output}");
        return this;
    }
}
