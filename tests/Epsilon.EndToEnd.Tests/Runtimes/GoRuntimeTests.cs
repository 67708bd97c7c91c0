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
    private Task EnsureEchoAsync() => platform.EnsureDeployedAsync("examples/go-echo");

    [Fact]
    public async Task Echo_PassesMethodPathQueryHeadersAndBody_AndAnswersWithTheFunctionsStatus()
    {
        await EnsureEchoAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/go-echo/orders/42?expand=items&tag=a%20b&status=201")
        {
            Content = new StringContent("""{"quantity":3}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Test", "header-value");
        request.Headers.Add("X-Epsilon-Request-Id", "go-e2e-1");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Echo").Single());
        Assert.Equal("go-e2e-1", response.Headers.GetValues("X-Epsilon-Request-Id").Single());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PUT", body.GetProperty("method").GetString());
        Assert.Equal("/orders/42", body.GetProperty("path").GetString());
        Assert.Equal("items", body.GetProperty("query").GetProperty("expand")[0].GetString());
        Assert.Equal("a b", body.GetProperty("query").GetProperty("tag")[0].GetString());
        Assert.Equal("header-value", body.GetProperty("header").GetString());
        Assert.Equal("""{"quantity":3}""", body.GetProperty("body").GetString());
        Assert.Equal("go-e2e-1", body.GetProperty("requestId").GetString());
        Assert.Equal("Hello", body.GetProperty("greeting").GetString());
    }

    [Fact]
    public async Task Echo_WithoutRequestId_GetsOneGeneratedAndEchoed()
    {
        await EnsureEchoAsync();

        using var response = await platform.Gateway.GetAsync("/go-echo/?status=404");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var requestId = response.Headers.GetValues("X-Epsilon-Request-Id").Single();
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Panic_Is500Json_AndTheNextCallIsServedByTheSameProcess()
    {
        await EnsureEchoAsync();
        var before = (await platform.Gateway.GetFromJsonAsync<JsonElement>("/go-echo/before")).GetProperty("calls").GetInt64();

        using var failed = await platform.Gateway.GetAsync("/go-echo/panic");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var error = (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("FunctionError", error.GetProperty("code").GetString());
        Assert.Equal("boom from go-echo", error.GetProperty("message").GetString());

        using var next = await platform.Gateway.GetAsync("/go-echo/after?status=202");
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        var calls = (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("calls").GetInt64();
        Assert.Equal(before + 2, calls); // package state survived the panic: the same process answered
    }

    [Fact]
    public async Task SlowerThanItsTimeout_Is504FunctionTimedOut()
    {
        await EnsureEchoAsync();

        using var response = await platform.Gateway.GetAsync("/go-echo/sleep?ms=5000");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("FunctionTimedOut", error.GetProperty("code").GetString());
        Assert.Contains("2000 ms", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await platform.Gateway.GetAsync("/go-echo/again")).StatusCode);
    }

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
