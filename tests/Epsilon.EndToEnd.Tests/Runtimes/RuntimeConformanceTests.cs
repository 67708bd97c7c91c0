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

    public static TheoryData<string> DependencyLayers => RuntimeProfiles.Declaring(p => p.Dependencies);

    public static TheoryData<string> SyntaxErrors => RuntimeProfiles.Declaring(p => p.SyntaxError);

    public static TheoryData<string> RejectedHandlers => RuntimeProfiles.Declaring(p => p.RejectedHandler);

    public static TheoryData<string> FailedInstalls => RuntimeProfiles.Declaring(p => p.FailedInstall);

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
        JsonSubset.AssertContains(echo.Answered, body);
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

    [Theory]
    [MemberData(nameof(DependencyLayers))]
    public async Task Dependencies_InstallInALayerOfTheirOwn_ThatACodeOnlyRedeployReuses(string runtime)
    {
        var layer = RuntimeProfiles.Named(runtime).Dependencies!;
        var function = layer.Function + "-cache"; // other cases may deploy the example's own name from another repository
        using var repository = TestRepository.FromDirectory(layer.Example);
        var manifest = File.ReadAllText(Path.Combine(repository.Path, "epsilon.yaml"));
        var renamed = manifest.Replace($"\n  {layer.Function}:", $"\n  {function}:", StringComparison.Ordinal);
        Assert.NotEqual(manifest, renamed);
        repository.Commit(new Dictionary<string, string> { ["epsilon.yaml"] = renamed }, "own function name");
        var first = await platform.DeployOkAsync(repository.Path);
        PlatformFixture.StepIndex(await platform.DeploymentLogAsync(first), layer.InstallStep, "dependency install");
        Assert.Equal(layer.OriginalRevision, RevisionOf(await CallDependencyAsync(function, layer), layer));

        var revision = "r" + Guid.NewGuid().ToString("N")[..8];
        var (file, find, replacement) = layer.CodeChange;
        var code = File.ReadAllText(Path.Combine(repository.Path, file));
        Assert.Contains(find, code);
        code = code.Replace(find, replacement.Replace("{revision}", revision, StringComparison.Ordinal), StringComparison.Ordinal);
        repository.Commit(new Dictionary<string, string> { [file] = code }, "code only");
        var second = await platform.DeployOkAsync(repository.Path);

        Assert.Equal(2, second.GetProperty("functions")[0].GetProperty("version").GetInt32());
        AssertCodeOnlyBuild(await platform.DeploymentLogAsync(second), layer, function);
        var deadline = DateTime.UtcNow.AddSeconds(30); // the gateway's function table follows the store
        var answer = await CallDependencyAsync(function, layer);
        while (RevisionOf(answer, layer) != revision && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            answer = await CallDependencyAsync(function, layer);
        }

        Assert.Equal(revision, RevisionOf(answer, layer));
    }

    [Theory]
    [MemberData(nameof(SyntaxErrors))]
    public Task SyntaxOrCompileError_FailsTheDeployWith422NamingTheFileAndLine(string runtime) =>
        AssertDeployFailsAsync(RuntimeProfiles.Named(runtime).SyntaxError!);

    [Theory]
    [MemberData(nameof(RejectedHandlers))]
    public Task HandlerTheBuildCheckRejects_FailsTheDeployWith422SayingWhy(string runtime) =>
        AssertDeployFailsAsync(RuntimeProfiles.Named(runtime).RejectedHandler!);

    [Theory]
    [MemberData(nameof(FailedInstalls))]
    public Task FailingDependencyInstall_FailsTheDeployWith422AndTheInstallersReason(string runtime) =>
        AssertDeployFailsAsync(RuntimeProfiles.Named(runtime).FailedInstall!);

    private async Task<CalledFunction> DeployedEchoAsync(string runtime)
    {
        var echo = RuntimeProfiles.Named(runtime).Echo!;
        await echo.Function.EnsureDeployedAsync(platform);
        return echo;
    }

    private async Task AssertDeployFailsAsync(BrokenRepository broken)
    {
        using var repository = broken.Example is null ? TestRepository.Create(broken.Files) : TestRepository.FromDirectory(broken.Example);
        if (broken.Example is not null)
        {
            repository.Commit(broken.Files, "break it");
        }

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.True(status == 422, $"deploy answered {status}: {body}");
        var error = body.GetProperty("error");
        Assert.Equal("BuildFailed", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        foreach (var expected in broken.Expected)
        {
            Assert.Contains(expected, message);
        }
    }

    private async Task<JsonElement> CallDependencyAsync(string function, DependencyLayer layer)
    {
        using var response = await platform.Gateway.GetAsync($"/{function}{layer.Call}");
        var answer = await AnswerAsync(response, HttpStatusCode.OK);
        AssertHeaders(layer.Headers, response);
        JsonSubset.AssertContains(layer.Answered, answer);
        return answer;
    }

    private static string? RevisionOf(JsonElement answer, DependencyLayer layer) =>
        answer.TryGetProperty(layer.RevisionField, out var value) ? value.GetString() : null;

    /// <summary>Checks the build log of a redeploy that changed only code: what comes before the code was cached.</summary>
    private static void AssertCodeOnlyBuild(string[] log, DependencyLayer layer, string function)
    {
        var install = PlatformFixture.StepIndex(log, layer.InstallStep, "dependency install");
        AssertCached(log, install);
        AssertCached(log, PlatformFixture.StepIndex(log, layer.SettingsStep, "last settings"));
        var code = PlatformFixture.StepIndex(log, layer.CodeStep, "code");
        Assert.True(code > install, "the code step comes before the install:\n" + string.Join('\n', log));
        Assert.DoesNotContain("Using cache", log[code + 1]); // the code did change
        var steps = log.Where(l => l.StartsWith("Step ", StringComparison.Ordinal)).ToList();
        Assert.Single(steps, l => l.Contains(" : LABEL ", StringComparison.Ordinal)); // the labels are one step, the last
        Assert.Contains($" : LABEL \"epsilon.managed\"=\"true\" \"epsilon.function\"=\"{function}\" \"epsilon.version\"=\"2\"", steps[^1]);
    }

    /// <summary>Checks that the build step on line <paramref name="step"/> came from Docker's cache: it printed nothing.</summary>
    private static void AssertCached(string[] log, int step)
    {
        var output = log.Skip(step + 1).TakeWhile(l => !l.StartsWith("Step ", StringComparison.Ordinal) && !l.StartsWith("Successfully", StringComparison.Ordinal)).ToList();
        Assert.True(output.FirstOrDefault() == " ---> Using cache" && output.All(l => l.StartsWith(" ---> ", StringComparison.Ordinal)),
            $"step '{log[step]}' ran:\n" + string.Join('\n', log));
    }

    /// <summary>The JSON answer of <paramref name="response"/>, after checking its status and that it is JSON.</summary>
    private static async Task<JsonElement> AnswerAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<JsonElement>(text);
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
