using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// The .NET runtime (wrapper-runtime/dotnet) through the real builder and gateway: examples/dotnet-echo (dotnet-echo, the
/// aspnet style, timeout 3 s) and examples/dotnet-lambda (dotnet-lambda, the lambda style), a code-only redeploy that
/// reuses the restore layer, and build failures (compile error, unknown handler type) as 422s naming what is wrong.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DotnetRuntimeTests(PlatformFixture platform)
{
    [Fact]
    public async Task CodeOnlyRedeploy_ReusesTheRestoreLayer_AndServesTheNewCode()
    {
        using var repository = TestRepository.FromDirectory("examples/dotnet-echo");
        repository.Commit(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: dotnet\nfunctions:\n  dotnet-cache:\n    handler: Echo.csproj:Epsilon.Examples.Echo\n",
        }, "own function name");
        await platform.DeployOkAsync(repository.Path);
        var first = await platform.Gateway.GetFromJsonAsync<JsonElement>("/dotnet-cache/?status=200");
        Assert.False(first.TryGetProperty("revision", out _));

        var revision = Guid.NewGuid().ToString("N")[..8]; // new code on every run, so the image cache cannot have it
        var code = File.ReadAllText(Path.Combine(repository.Path, "Echo.cs"))
            .Replace("calls,\n", $"calls,\n            revision = \"{revision}\",\n", StringComparison.Ordinal);
        Assert.Contains(revision, code);
        repository.Commit(new Dictionary<string, string> { ["Echo.cs"] = code }, "new revision: code only");
        var redeploy = await platform.DeployOkAsync(repository.Path);

        var log = await platform.DeploymentLogAsync(redeploy);
        var restore = PlatformFixture.StepIndex(log, "build.sh\", \"restore\"", "restore");
        Assert.Contains("---> Using cache", log[restore + 1]);
        var publish = Array.FindIndex(log, l => l.Contains("build.sh\", \"publish\"", StringComparison.Ordinal));
        Assert.True(publish > restore, "no publish step after the restore step:\n" + string.Join('\n', log));
        Assert.DoesNotContain("Using cache", log[publish + 1]); // the code did change

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement second;
        do
        {
            second = await platform.Gateway.GetFromJsonAsync<JsonElement>("/dotnet-cache/again");
        }
        while (!second.TryGetProperty("revision", out _) && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(revision, second.GetProperty("revision").GetString());
    }

    [Fact]
    public async Task CompileError_FailsTheDeployWith422NamingTheFileAndLine()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: dotnet\nfunctions:\n  dotnet-broken:\n    handler: src/Broken/Broken.csproj:Acme.Broken\n",
            ["src/Broken/Broken.csproj"] = LibraryProject,
            ["src/Broken/Broken.cs"] = """
                namespace Acme;

                public static class Broken
                {
                    public static string HandleAsync(string input)
                    {
                        return input
                    }
                }
                """,
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("BuildFailed", error.GetProperty("code").GetString());
        Assert.Contains("function 'dotnet-broken': src/Broken/Broken.cs(7,21): error CS1002: ; expected", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnknownHandlerType_FailsTheDeployWith422FromTheBuildTimeCheck()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: dotnet\nfunctions:\n  dotnet-nohandler:\n    handler: Hello.csproj:Acme.Nope\n",
            ["Hello.csproj"] = LibraryProject,
            ["Hello.cs"] = """
                namespace Acme;

                public static class Hello
                {
                    public static object HandleAsync(System.Text.Json.JsonElement @event) => new { statusCode = 200, body = "hi" };
                }
                """,
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var message = body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("function 'dotnet-nohandler': type 'Acme.Nope' not found in Hello.csproj", message);
        Assert.Contains("'Acme.Hello'", message);
    }

    private const string LibraryProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
    }
}
