using System.Diagnostics;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Cli;

/// <summary>
/// The built <c>epsilon</c> command run as a process, as a person runs it, with its own config file; by default with the
/// test run's admin token in <c>EPSILON_TOKEN</c> (which <c>--token</c> overrides, and which overrides a saved profile).
/// </summary>
internal sealed class EpsilonCli(bool withAdminToken = true) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("epsilon-cli-").FullName;

    public string ConfigPath => Path.Combine(_home, "config.json");

    public async Task<CliRun> RunInAsync(string? workingDirectory, params string[] arguments)
    {
        var dll = Path.Combine(TestRepository.SourceRoot, "cli/Epsilon.Cli/bin/Release/net10.0/epsilon.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? _home,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["EPSILON_CONFIG"] = ConfigPath;
        foreach (var name in new[] { "EPSILON_URL", "EPSILON_TOKEN", "EPSILON_CA_FILE" })
        {
            start.Environment.Remove(name);
        }

        if (withAdminToken)
        {
            start.Environment["EPSILON_TOKEN"] = TestAdmin.Token;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error, arguments);
    }

    public Task<CliRun> RunAsync(params string[] arguments) => RunInAsync(null, arguments);

    public void Dispose() => Directory.Delete(_home, recursive: true);
}

/// <summary>One run of the CLI: its exit code and what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error, string[] Arguments)
{
    public CliRun Expect(int exitCode)
    {
        Assert.True(ExitCode == exitCode,
            $"epsilon {string.Join(' ', Arguments)} exited {ExitCode}, expected {exitCode}\nstdout:\n{Output}\nstderr:\n{Error}");
        return this;
    }

    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Output);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            Assert.Fail($"epsilon {string.Join(' ', Arguments)} printed no JSON ({ex.Message}):\n{Output}\nstderr:\n{Error}");
            throw;
        }
    }
}
