using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// What only the Python runtime does, beyond the conformance suite (<see cref="RuntimeConformanceTests"/>): Lambda's own
/// handler form (examples/python-echo's py-lambda, <c>lambda_function.lambda_handler</c>), async, returning a plain value.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PythonRuntimeTests(PlatformFixture platform)
{
    [Fact]
    public async Task LambdaHandlerForm_AsyncHandlerReturningAValue_Is200Json()
    {
        await platform.EnsureDeployedAsync("examples/python-echo");
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
}
