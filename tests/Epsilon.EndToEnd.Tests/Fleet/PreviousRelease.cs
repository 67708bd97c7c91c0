using System.Diagnostics;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>
/// The previous release's gateway, built by scripts/previous-release.sh (which names the release): the test command
/// passes its path in <c>EPSILON_TEST_PREVIOUS_GATEWAY</c>; without it the script runs here (it caches by commit).
/// </summary>
internal static class PreviousRelease
{
    public const string Variable = "EPSILON_TEST_PREVIOUS_GATEWAY";

    private static readonly Lazy<Task<string>> Built = new(FindAsync);

    /// <summary>The path of the previous release's Epsilon.Gateway.dll.</summary>
    public static Task<string> GatewayDllAsync() => Built.Value;

    private static async Task<string> FindAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            Assert.True(File.Exists(given), $"{Variable} names {given}, which does not exist; run scripts/previous-release.sh");
            return given;
        }

        var start = new ProcessStartInfo(Path.Combine(TestRepository.SourceRoot, "scripts/previous-release.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync();
        var error = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        Assert.True(script.ExitCode == 0, $"scripts/previous-release.sh failed:\n{await error}");
        return (await output).Trim();
    }
}
