using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// The Python runtime (wrapper-runtime/python) through the real builder and gateway: examples/python-echo (py-echo,
/// py-lambda) and examples/python-deps (py-deps, a requirements.txt dependency).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PythonRuntimeTests(PlatformFixture platform)
{
    private Task EnsureEchoAsync() => platform.EnsureDeployedAsync("examples/python-echo");

    [Fact]
    public async Task Echo_PassesMethodPathQueryHeadersBodyAndCookies_AndAnswersWithTheFunctionsStatus()
    {
        await EnsureEchoAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/py-echo/orders/42?expand=items&tag=a%20b&tag=c&status=201")
        {
            Content = new StringContent("""{"quantity":3}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Test", "header-value");
        request.Headers.Add("X-Epsilon-Request-Id", "py-e2e-1");
        request.Headers.Add("Cookie", "session=abc; theme=dark");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Echo").Single());
        Assert.Equal("py-e2e-1", response.Headers.GetValues("X-Epsilon-Request-Id").Single());
        Assert.Contains("echo=1; Path=/", response.Headers.GetValues("Set-Cookie"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PUT", body.GetProperty("method").GetString());
        Assert.Equal("/orders/42", body.GetProperty("path").GetString());
        Assert.Equal("expand=items&tag=a%20b&tag=c&status=201", body.GetProperty("rawQueryString").GetString());
        Assert.Equal("items", body.GetProperty("query").GetProperty("expand").GetString());
        Assert.Equal("a b,c", body.GetProperty("query").GetProperty("tag").GetString());
        Assert.Equal("header-value", body.GetProperty("header").GetString());
        Assert.Equal(["session=abc", "theme=dark"], body.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal(3, body.GetProperty("body").GetProperty("quantity").GetInt32());
        Assert.Equal("py-e2e-1", body.GetProperty("requestId").GetString());
        Assert.Equal("py-echo", body.GetProperty("functionName").GetString());
        Assert.InRange(body.GetProperty("remainingMs").GetInt32(), 1, 2000);
        Assert.Equal("Hello", body.GetProperty("greeting").GetString());
    }

    [Fact]
    public async Task Echo_WithoutRequestId_GetsOneGeneratedAndEchoed()
    {
        await EnsureEchoAsync();

        using var response = await platform.Gateway.GetAsync("/py-echo/?status=404");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var requestId = response.Headers.GetValues("X-Epsilon-Request-Id").Single();
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Exception_Is500Json_AndTheNextCallIsServedByTheSameProcess()
    {
        await EnsureEchoAsync();
        var before = (await platform.Gateway.GetFromJsonAsync<JsonElement>("/py-echo/before")).GetProperty("calls").GetInt32();

        using var failed = await platform.Gateway.GetAsync("/py-echo/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var error = (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("FunctionError", error.GetProperty("code").GetString());
        Assert.Equal("RuntimeError: boom from py-echo", error.GetProperty("message").GetString());

        using var next = await platform.Gateway.GetAsync("/py-echo/after?status=202");
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        var calls = (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("calls").GetInt32();
        Assert.Equal(before + 2, calls); // module state survived the exception: the same process answered
    }

    [Fact]
    public async Task SlowerThanItsTimeout_Is504FunctionTimedOut_AndCallsGoOn()
    {
        await EnsureEchoAsync();

        using var response = await platform.Gateway.GetAsync("/py-echo/sleep?ms=5000");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("FunctionTimedOut", error.GetProperty("code").GetString());
        Assert.Equal("function 'py-echo' did not answer within 2000 ms", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await platform.Gateway.GetAsync("/py-echo/again")).StatusCode);
    }

    [Fact]
    public async Task LambdaHandlerForm_AsyncHandlerReturningAValue_Is200Json()
    {
        await EnsureEchoAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/py-lambda/items?x=1") { Content = new StringContent("ignored") };

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("hello from an async Lambda handler", body.GetProperty("message").GetString());
        Assert.Equal("POST", body.GetProperty("method").GetString());
        Assert.Equal("/items", body.GetProperty("path").GetString());
        Assert.Equal("2.0", body.GetProperty("version").GetString());
        Assert.Equal("$default", body.GetProperty("routeKey").GetString());
        Assert.Equal("$default", body.GetProperty("stage").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("sourceIp").GetString()));
    }

    [Fact]
    public async Task Deps_CodeOnlyRedeploy_ReusesTheInstallLayer()
    {
        using var repository = TestRepository.FromDirectory("examples/python-deps");
        await platform.DeployOkAsync(repository.Path);
        var first = await platform.Gateway.GetFromJsonAsync<JsonElement>("/py-deps/?name=Docker");
        Assert.Equal("Hello, Docker!", first.GetProperty("message").GetString());
        Assert.Equal("/opt/epsilon/deps/greeting/__init__.py", first.GetProperty("installedAt").GetString());
        Assert.False(first.TryGetProperty("revision", out _));

        var revision = Guid.NewGuid().ToString("N")[..8]; // new code on every run, so the image cache cannot have it
        var code = File.ReadAllText(Path.Combine(repository.Path, "handler.py"))
            .Replace("\"installedAt\": greeting.__file__,", $"\"installedAt\": greeting.__file__,\n        \"revision\": \"{revision}\",", StringComparison.Ordinal);
        repository.Commit(new Dictionary<string, string> { ["handler.py"] = code }, "new revision: code only");
        var redeploy = await platform.DeployOkAsync(repository.Path);

        var log = await platform.DeploymentLogAsync(redeploy);
        var install = PlatformFixture.StepIndex(log, "deps.py\", \"install\"", "dependency install");
        Assert.Contains("---> Using cache", log[install + 1]);
        var check = Array.FindIndex(log, l => l.Contains("epsilon_runtime.check", StringComparison.Ordinal));
        Assert.True(check > install, "no load check step after the install step:\n" + string.Join('\n', log));
        Assert.DoesNotContain("Using cache", log[check + 1]); // the code did change

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement second;
        do
        {
            second = await platform.Gateway.GetFromJsonAsync<JsonElement>("/py-deps/?name=again");
        }
        while (!second.TryGetProperty("revision", out _) && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(revision, second.GetProperty("revision").GetString());
        Assert.Equal("Hello, again!", second.GetProperty("message").GetString());
    }

    [Fact]
    public async Task SyntaxError_FailsTheDeployWith422NamingTheFileAndLine()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: python\nfunctions:\n  py-broken:\n    handler: app/main.py:handler\n",
            ["app/main.py"] = "def handler(event, context):\n    return {\"statusCode\": 200\n\nx = 1\n",
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("BuildFailed", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("function 'py-broken': cannot load 'app/main.py' (export 'handler'): app/main.py:2: SyntaxError:", message);
    }

    [Fact]
    public async Task FailingInstall_FailsTheDeployWith422SayingSo()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: python\nfunctions:\n  py-badreq:\n    handler: handler.py:handler\n",
            ["handler.py"] = "def handler(event, context):\n    return 'never'\n",
            ["requirements.txt"] = "./vendor/missing-package\n",
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var message = body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("function 'py-badreq': installing dependencies failed: ", message);
        Assert.Contains("vendor/missing-package", message);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
    }
}
