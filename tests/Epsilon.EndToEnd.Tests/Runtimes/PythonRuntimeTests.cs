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
