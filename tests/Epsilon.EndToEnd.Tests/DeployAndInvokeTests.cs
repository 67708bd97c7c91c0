using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class DeployAndInvokeTests(PlatformFixture platform)
{
    [Fact]
    public async Task Deploy_ThenCall_AnswersThroughTheGatewayWithTheFunctionUrl()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  greet:\n    handler: index.js:greet\n",
            ["index.js"] = Functions.Text("greet", "hello from greet"),
        });

        var deployment = await platform.DeployOkAsync(repository.Path);

        var function = deployment.GetProperty("functions").EnumerateArray().Single();
        Assert.Equal("greet", function.GetProperty("name").GetString());
        Assert.Equal(1, function.GetProperty("version").GetInt32());
        var url = function.GetProperty("url").GetString()!;
        Assert.Equal(new Uri(platform.Gateway.BaseAddress!, "/greet/").ToString(), url);
        Assert.Equal("hello from greet", await platform.Gateway.GetStringAsync(url));

        var listed = await platform.Builder.GetFromJsonAsync<JsonElement>("/functions/greet");
        Assert.Equal(1, listed.GetProperty("version").GetInt32());
        var status = await platform.Builder.GetFromJsonAsync<JsonElement>($"/deployments/{deployment.GetProperty("deploymentId").GetString()}");
        Assert.Equal("ready", status.GetProperty("status").GetString());
        Assert.Contains("pushed 127.0.0.1:5000/greet:v1", status.GetProperty("log").GetString());
    }

    [Fact]
    public async Task Call_PassesPathQueryMethodHeadersAndBodyUnchanged()
    {
        await platform.EnsureEchoAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/echo-wide/orders/42?expand=items&tag=a%20b")
        {
            Content = new StringContent("""{"quantity":3}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Test", "header-value");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-echo").Single());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PUT", body.GetProperty("method").GetString());
        Assert.Equal("/orders/42", body.GetProperty("path").GetString());
        Assert.Equal("items", body.GetProperty("query").GetProperty("expand").GetString());
        Assert.Equal("a b", body.GetProperty("query").GetProperty("tag").GetString());
        Assert.Equal("header-value", body.GetProperty("header").GetString());
        Assert.Equal(3, body.GetProperty("body").GetProperty("quantity").GetInt32());
        var requestId = response.Headers.GetValues("X-Epsilon-Request-Id").Single();
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Call_StatusCodeAndEnvironmentComeFromTheFunction()
    {
        await platform.EnsureEchoAsync();

        using var response = await platform.Gateway.GetAsync("/echo/?status=201");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("s3cr3t-value", body.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Call_HandlerThatSendsNothing_Answers200Ok()
    {
        await platform.EnsureEchoAsync();

        using var response = await platform.Gateway.GetAsync("/echo-wide/silent");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Call_WarmContainer_KeepsModuleStateBetweenCalls()
    {
        await platform.EnsureEchoAsync();

        var first = await platform.Gateway.GetFromJsonAsync<JsonElement>("/echo/state");
        var second = await platform.Gateway.GetFromJsonAsync<JsonElement>("/echo/state");

        Assert.Equal(first.GetProperty("calls").GetInt32() + 1, second.GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Call_UnknownFunction_Is404Json()
    {
        using var response = await platform.Gateway.GetAsync("/no-such-function/x");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FunctionNotFound", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("no-such-function", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Redeploy_ChangedCode_ServesTheNewVersionWithNoFailedCallInBetween()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  flip:\n    handler: index.js:flip\n",
            ["index.js"] = Functions.Text("flip", "v1"),
        });
        await platform.DeployOkAsync(repository.Path);
        Assert.Equal("v1", await platform.Gateway.GetStringAsync("/flip/"));

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var answers = new HashSet<string>();
        var caller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await platform.Gateway.GetAsync("/flip/");
                var text = await response.Content.ReadAsStringAsync();
                lock (answers)
                {
                    answers.Add(text);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{(int)response.StatusCode} {text}");
                    }
                }
            }
        });

        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("flip", "v2") }, "v2");
        var redeploy = await platform.DeployOkAsync(repository.Path);
        Assert.Equal(2, redeploy.GetProperty("functions")[0].GetProperty("version").GetInt32());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !answers.Contains("v2"))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await caller;
        Assert.Empty(failures);
        Assert.Contains("v1", answers);
        Assert.Contains("v2", answers);
        Assert.Equal("v2", await platform.Gateway.GetStringAsync("/flip/"));
    }
}
