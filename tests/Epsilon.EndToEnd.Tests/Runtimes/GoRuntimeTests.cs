using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>The Go runtime (wrapper-runtime/go) through the real builder and gateway: examples/go-echo and examples/go-deps.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GoRuntimeTests(PlatformFixture platform)
{
    [Fact]
    public async Task Deps_CodeOnlyRedeploy_ReusesTheDependencyDownloadLayer()
    {
        using var repository = TestRepository.FromDirectory("examples/go-deps");
        await platform.DeployOkAsync(repository.Path);
        var first = await platform.Gateway.GetFromJsonAsync<JsonElement>("/go-deps/?name=Docker");
        Assert.Equal("Hello, Docker!", first.GetProperty("message").GetString());
        Assert.Equal("v1", first.GetProperty("version").GetString());

        // A version no earlier run built, so the build step itself cannot come from Docker's cache.
        var version = "v2-" + Guid.NewGuid().ToString("N")[..8];
        var code = File.ReadAllText(Path.Combine(repository.Path, "api", "greet.go")).Replace("\"v1\"", $"\"{version}\"", StringComparison.Ordinal);
        repository.Commit(new Dictionary<string, string> { ["api/greet.go"] = code }, "code only");
        var redeploy = await platform.DeployOkAsync(repository.Path);

        var log = await platform.DeploymentLogAsync(redeploy);
        var step = PlatformFixture.StepIndex(log, "RUN [\"epsilon-go\", \"deps\"", "go mod download");
        Assert.Contains("---> Using cache", log[step + 1]);
        var build = PlatformFixture.StepIndex(log, "RUN [\"epsilon-go\", \"build\"", "build");
        Assert.DoesNotContain("Using cache", log[build + 1]); // the code did change

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement second;
        do
        {
            second = await platform.Gateway.GetFromJsonAsync<JsonElement>("/go-deps/?name=again");
        }
        while (second.GetProperty("version").GetString() != version && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(version, second.GetProperty("version").GetString());
        Assert.Equal("Hello, again!", second.GetProperty("message").GetString());
    }

    [Fact]
    public async Task CompileError_FailsTheDeployWith422NamingTheFileAndLine()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: go\nfunctions:\n  go-broken:\n    handler: ./handlers:Broken\n",
            ["go.mod"] = "module example.com/broken\n\ngo 1.19\n",
            ["handlers/broken.go"] = "package handlers\n\nimport \"net/http\"\n\nfunc Broken(w http.ResponseWriter, r *http.Request) {\n\tw.Write(nope)\n}\n",
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("BuildFailed", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("function 'go-broken': handlers/broken.go:6: undefined: nope", message);
    }

    [Fact]
    public async Task WrongSignature_FailsTheDeployPointingAtTheDeclaration()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: go\nfunctions:\n  go-wrongsig:\n    handler: .:Hello\n",
            ["hello.go"] = "package hello\n\nimport \"net/http\"\n\nfunc Hello(w http.ResponseWriter) {}\n",
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var message = body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("hello.go:5: func Hello has type func(w http.ResponseWriter)", message);
        Assert.Contains("func(w http.ResponseWriter, r *http.Request)", message);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
    }
}
