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
}
