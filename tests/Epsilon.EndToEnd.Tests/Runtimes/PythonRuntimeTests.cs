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
}
