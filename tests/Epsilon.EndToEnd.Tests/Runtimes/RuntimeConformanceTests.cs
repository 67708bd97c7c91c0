using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// What every runtime does the same way, through the real builder and gateway: each case runs once per runtime whose
/// row in <see cref="RuntimeProfiles"/> declares it, on that runtime's examples (deployed once per run and shared).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RuntimeConformanceTests(PlatformFixture platform)
{
    public static TheoryData<string> Echoes => RuntimeProfiles.Declaring(p => p.Echo);

    public static TheoryData<string> Lambdas => RuntimeProfiles.Declaring(p => p.Lambda);

    public static TheoryData<string, string> FailingCalls
    {
        get
        {
            var rows = new TheoryData<string, string>();
            foreach (var profile in RuntimeProfiles.All)
            {
                foreach (var call in profile.FailingCalls)
                {
                    rows.Add(profile.Name, call.Function.Name);
                }
            }

            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task Echo_PassesMethodPathQueryHeadersBodyAndCookies_AndAnswersWithTheFunctionsStatus(string runtime)
    {
        var echo = await DeployedEchoAsync(runtime);
        var requestId = $"{runtime}-e2e-1";
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/{echo.Function.Name}/orders/42?expand=items&tag=a%20b&tag=c&status=201")
        {
            Content = new StringContent("""{"quantity":3}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Test", "header-value");
        request.Headers.Add("X-Epsilon-Request-Id", requestId);
        request.Headers.Add("Cookie", "session=abc; theme=dark");

        // Not the shared client: it keeps the cookies earlier answers set and would send them along.
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = platform.Gateway.BaseAddress };
        using var response = await client.SendAsync(request);

        var body = await AnswerAsync(response, HttpStatusCode.Created);
        Assert.Equal("yes", response.Headers.GetValues("X-Echo").Single());
        Assert.Equal(requestId, response.Headers.GetValues("X-Epsilon-Request-Id").Single());
        AssertHeaders(echo.Headers, response);
        Assert.Equal("PUT", body.GetProperty("method").GetString());
        Assert.Equal("/orders/42", body.GetProperty("path").GetString());
        Assert.Equal("header-value", body.GetProperty("header").GetString());
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
        JsonSubset.AssertContains(echo.Echoed, body);
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task Echo_WithoutRequestId_GetsOneGeneratedAndEchoed_AndANon200Status(string runtime)
    {
        var echo = await DeployedEchoAsync(runtime);

        using var response = await platform.Gateway.GetAsync($"/{echo.Function.Name}/?status=404");

        var body = await AnswerAsync(response, HttpStatusCode.NotFound);
        var requestId = response.Headers.GetValues("X-Epsilon-Request-Id").Single();
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
        Assert.Equal("GET", body.GetProperty("method").GetString());
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task SlowerThanItsTimeout_Is504FunctionTimedOut_AndCallsGoOn(string runtime)
    {
        var echo = await DeployedEchoAsync(runtime);
        var name = echo.Function.Name;

        using var response = await platform.Gateway.GetAsync($"/{name}/sleep?ms={echo.TimeoutMs + 3000}");

        var error = (await AnswerAsync(response, HttpStatusCode.GatewayTimeout)).GetProperty("error");
        Assert.Equal("FunctionTimedOut", error.GetProperty("code").GetString());
        Assert.Equal($"function '{name}' did not answer within {echo.TimeoutMs} ms", error.GetProperty("message").GetString());
        using var next = await platform.Gateway.GetAsync($"/{name}/again");
        await AnswerAsync(next, HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Lambdas))]
    public async Task Lambda_GetsTheHttpApiV2EventAndContext_AndItsResponseIsTheAnswer(string runtime)
    {
        var lambda = RuntimeProfiles.Named(runtime).Lambda!;
        await lambda.Function.EnsureDeployedAsync(platform);
        var requestId = $"{runtime}-lambda-1";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{lambda.Function.Name}/items/7?name=Ada&x=1&x=2&status=201")
        {
            Content = new StringContent("""{"created":true}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Test", "header-value");
        request.Headers.Add("X-Epsilon-Request-Id", requestId);

        using var response = await platform.Gateway.SendAsync(request);

        var body = await AnswerAsync(response, HttpStatusCode.Created);
        AssertHeaders(lambda.Headers, response);
        Assert.Equal("POST", body.GetProperty("method").GetString());
        Assert.Equal("/items/7", body.GetProperty("path").GetString());
        Assert.Equal("1,2", body.GetProperty("query").GetProperty("x").GetString());
        Assert.Equal("header-value", body.GetProperty("header").GetString());
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
        Assert.InRange(body.GetProperty("remainingMs").GetInt32(), 1, lambda.TimeoutMs);
        JsonSubset.AssertContains(lambda.Answered, body);
    }

    [Theory]
    [MemberData(nameof(FailingCalls))]
    public async Task Exception_Is500Json_AndTheNextCallIsServedByTheSameProcess(string runtime, string function)
    {
        var call = RuntimeProfiles.Named(runtime).FailingCalls.Single(c => c.Function.Name == function);
        await call.Function.EnsureDeployedAsync(platform);
        var before = (await platform.Gateway.GetFromJsonAsync<JsonElement>($"/{function}/before")).GetProperty("calls").GetInt64();

        using var failed = await platform.Gateway.GetAsync($"/{function}{call.Path}");

        var error = (await AnswerAsync(failed, HttpStatusCode.InternalServerError)).GetProperty("error");
        Assert.Equal("FunctionError", error.GetProperty("code").GetString());
        Assert.Equal(call.Message, error.GetProperty("message").GetString());
        using var next = await platform.Gateway.GetAsync($"/{function}/after?status=202");
        var calls = (await AnswerAsync(next, HttpStatusCode.Accepted)).GetProperty("calls").GetInt64();
        Assert.Equal(before + 2, calls); // the state survived the exception: the same process answered
    }

    private async Task<EchoFunction> DeployedEchoAsync(string runtime)
    {
        var echo = RuntimeProfiles.Named(runtime).Echo!;
        await echo.Function.EnsureDeployedAsync(platform);
        return echo;
    }

    /// <summary>The JSON answer of <paramref name="response"/>, after checking its status and that it is JSON.</summary>
    private static async Task<JsonElement> AnswerAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    private static void AssertHeaders(IReadOnlyDictionary<string, string> expected, HttpResponseMessage response)
    {
        foreach (var (name, value) in expected)
        {
            var values = response.Headers.TryGetValues(name, out var found) ? found
                : response.Content.Headers.TryGetValues(name, out found) ? found
                : [];
            Assert.True(values.Contains(value), $"expected header {name}: {value}, got [{string.Join(" | ", values)}]");
        }
    }
}
