using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class FailureTests(PlatformFixture platform)
{
    [Fact]
    public async Task Call_PastTheTimeout_Is504WithinTimeoutPlusOneSecond_AndTheNextCallSucceeds()
    {
        await platform.EnsureEchoAsync();
        using (var warm = await platform.Gateway.GetAsync("/echo/warm"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        using var response = await platform.Gateway.GetAsync("/echo/sleep?ms=5000");
        clock.Stop();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FunctionTimedOut", body.GetProperty("error").GetProperty("code").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"504 took {clock.Elapsed.TotalMilliseconds:0} ms for a 1 s timeout");

        using var next = await platform.Gateway.GetAsync("/echo/after-timeout");
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Call_ThatThrows_Is500Json_AndTheContainerLivesOn()
    {
        await platform.EnsureEchoAsync();
        var before = await platform.Gateway.GetFromJsonAsync<JsonElement>("/echo-wide/before");

        using var response = await platform.Gateway.GetAsync("/echo-wide/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FunctionError", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("boom from the function", body.GetProperty("error").GetProperty("message").GetString());
        var after = await platform.Gateway.GetFromJsonAsync<JsonElement>("/echo-wide/after");
        Assert.Equal(before.GetProperty("calls").GetInt32() + 2, after.GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Caller_HangingUp_LeavesTheContainerServing()
    {
        await platform.EnsureEchoAsync();
        var before = await platform.Gateway.GetFromJsonAsync<JsonElement>("/echo-wide/before-hangup");

        using (var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => platform.Gateway.GetAsync("/echo-wide/sleep?ms=1500", hangUp.Token));
        }

        await Task.Delay(1500);
        var after = await platform.Gateway.GetFromJsonAsync<JsonElement>("/echo-wide/after-hangup");
        Assert.Equal(before.GetProperty("calls").GetInt32() + 2, after.GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Call_ThatExitsTheProcess_Is502_ThenTheNextCallSucceeds()
    {
        await platform.EnsureEchoAsync();
        using (var warm = await platform.Gateway.GetAsync("/echo/warm"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var crashed = await platform.Gateway.GetAsync("/echo/exit");

        Assert.Equal(HttpStatusCode.BadGateway, crashed.StatusCode);
        var body = await crashed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FunctionCrashed", body.GetProperty("error").GetProperty("code").GetString());
        using var next = await platform.Gateway.GetAsync("/echo/after-crash");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var answer = await next.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, answer.GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Calls_BeyondConcurrencyAndQueue_Get429WithRetryAfter()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  single:\n    handler: slow.js:single\n    concurrency: 1\n    maxContainers: 1\n",
            ["slow.js"] = Functions.Slow("single"),
        });
        await platform.DeployOkAsync(repository.Path);

        var calls = Enumerable.Range(0, 6).Select(_ => platform.Gateway.GetAsync("/single/?ms=1500")).ToList();
        var responses = await Task.WhenAll(calls);

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 429 }));
        Assert.True(statuses.Count(s => s == 200) >= 1, string.Join(",", statuses));
        Assert.True(statuses.Count(s => s == 429) >= 3, string.Join(",", statuses));
        var rejected = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("1", rejected.Headers.GetValues("Retry-After").Single());
        var body = await rejected.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("TooManyRequests", body.GetProperty("error").GetProperty("code").GetString());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
