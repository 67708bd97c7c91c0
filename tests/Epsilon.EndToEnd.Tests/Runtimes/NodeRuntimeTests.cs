using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// What only the Node runtime does, beyond the conformance suite (<see cref="RuntimeConformanceTests"/>, which calls
/// the spec style through examples/node-echo and the lambda style through examples/node-lambda): the workers and plain
/// styles and the lambda example's own error answer, the examples under examples/node-* deployed unchanged.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class NodeRuntimeTests(PlatformFixture platform)
{
    [Fact]
    public async Task Lambda_ExampleHandler_ReturningAnErrorStatus_IsAnsweredWithItsStatusAndBody()
    {
        await platform.EnsureDeployedAsync("examples/node-lambda");

        using var failed = await platform.Gateway.PostAsync("/node-lambda/", new StringContent("""{"fail":"no stock"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        Assert.Equal("no stock", (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Workers_ExampleModule_GetsARequestWithEnvAndItsResponseComesBack()
    {
        using var repository = TestRepository.FromDirectory("examples/node-workers");
        await platform.DeployOkAsync(repository.Path);

        using var request = new HttpRequestMessage(HttpMethod.Put, "/node-workers/items/7?name=Bo&created=1")
        {
            Content = new StringContent("plain body", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Test", "header-value");
        using var response = await platform.Gateway.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        Assert.Equal("workers", response.Headers.GetValues("x-style").Single());
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Howdy, Bo!", body.GetProperty("greeting").GetString()); // env.GREETING from the manifest
        Assert.Equal("PUT", body.GetProperty("method").GetString());
        Assert.Equal("/items/7", body.GetProperty("path").GetString());
        Assert.Equal("1", body.GetProperty("query").GetProperty("created").GetString());
        Assert.Equal("header-value", body.GetProperty("header").GetString());
        Assert.Equal("plain body", body.GetProperty("body").GetString());

        using var teapot = await platform.Gateway.GetAsync("/node-workers/teapot");
        Assert.Equal((HttpStatusCode)418, teapot.StatusCode);
        Assert.Equal("I'm a teapot", await teapot.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Plain_ExampleHandler_GetsNodesOwnRequestWithTheFunctionRelativeUrl()
    {
        using var repository = TestRepository.FromDirectory("examples/node-plain");
        await platform.DeployOkAsync(repository.Path);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/node-plain/a/b?x=1&status=202")
        {
            Content = new StringContent("raw bytes", Encoding.UTF8, "application/octet-stream"),
        };
        request.Headers.Add("X-Test", "header-value");
        using var response = await platform.Gateway.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {text}");
        Assert.Equal("plain", response.Headers.GetValues("x-style").Single());
        Assert.True(response.Headers.Contains("X-Epsilon-Request-Id"));
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("POST", body.GetProperty("method").GetString());
        Assert.Equal("/a/b?x=1&status=202", body.GetProperty("url").GetString());
        Assert.Equal("header-value", body.GetProperty("header").GetString());
        Assert.Equal("raw bytes", body.GetProperty("body").GetString());

        using var notFound = await platform.Gateway.GetAsync("/node-plain/missing?status=404");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
    }
}
