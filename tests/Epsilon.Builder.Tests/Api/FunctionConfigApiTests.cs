using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Epsilon.Builder.Auth;
using Epsilon.Core.Auth;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Api;

/// <summary>The env and secrets endpoints on a real builder with a SQLite store holding one deployed function.</summary>
public sealed class FunctionConfigApiTests : IDisposable
{
    private const string Shop = "https://git.example.com/acme/shop.git";

    private readonly string _root = TempDirectory.Create("epsilon-builder-config");
    private readonly string _bootstrap = TokenSecret.Create();

    public void Dispose() => TempDirectory.Delete(_root);

    [Fact]
    public async Task SecretSet_WithoutAKey_409NamingTheSetting_AndNothingElseBreaks()
    {
        await using var builder = await RunningBuilder.StartAsync(_root, _bootstrap);
        await DeployAsync();
        using var admin = builder.Client(_bootstrap);

        using var refused = await admin.PutAsJsonAsync("/functions/hello/secrets/TOKEN", new { value = "v" });
        var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal((HttpStatusCode.Conflict, "SecretsNotConfigured"), (refused.StatusCode, error.GetProperty("code").GetString()));
        Assert.Contains("Epsilon:Secrets:KeyFile", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var env = await admin.PatchAsJsonAsync("/functions/hello/env", new { set = new Dictionary<string, string> { ["A"] = "1" } });
        Assert.Equal(HttpStatusCode.OK, env.StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement[]>("/functions/hello/secrets"))!);
    }

    [Fact]
    public async Task Changes_NeedDeployScopeHeldToTheFunctionsRepository_ReadsNeedRead()
    {
        await using var builder = await RunningBuilder.StartAsync(_root, _bootstrap, $"--Epsilon:Secrets:Key={Key()}");
        await DeployAsync();
        var (_, reader) = await builder.CreateTokenAsync(_bootstrap, "reader", "read");
        var (_, other) = await builder.CreateTokenAsync(_bootstrap, "other", "deploy", "https://git.example.com/acme/blog.git");
        var (_, owner) = await builder.CreateTokenAsync(_bootstrap, "owner", "deploy", Shop);
        var body = new { set = new Dictionary<string, string> { ["A"] = "1" } };

        using (var client = builder.Client(reader))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/functions/hello/env")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/functions/hello/secrets")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsJsonAsync("/functions/hello/env", body)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync("/functions/hello/secrets/S", new { value = "v" })).StatusCode);
        }

        using (var client = builder.Client(other))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsJsonAsync("/functions/hello/env", body)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync("/functions/hello/secrets/S")).StatusCode);
        }

        using (var client = builder.Client(owner))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync("/functions/hello/env", body)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsJsonAsync("/functions/nobody/env", body)).StatusCode);
        }
    }

    [Fact]
    public async Task SecretValue_NeverInAnAnswerOrATraceLog_AndBadInputNamesTheField()
    {
        await using var builder = await RunningBuilder.StartAsync(_root, _bootstrap, $"--Epsilon:Secrets:Key={Key()}");
        await DeployAsync();
        using var admin = builder.Client(_bootstrap);
        var marker = "marker-" + Guid.NewGuid().ToString("N");

        using var set = await admin.PutAsJsonAsync("/functions/hello/secrets/TOKEN", new { value = marker });
        var answer = await set.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        using var badJson = await admin.PutAsync("/functions/hello/secrets/TOKEN",
            new StringContent("{\"value\": \"" + marker + "\" oops", System.Text.Encoding.UTF8, "application/json"));
        var badAnswer = await badJson.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.DoesNotContain(marker, answer + badAnswer, StringComparison.Ordinal);
        Assert.DoesNotContain(builder.Logs.Lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.Contains(builder.Logs.Lines, l => l.Contains("Function 'hello' v2 is live", StringComparison.Ordinal));

        await AssertFieldAsync(await admin.PutAsJsonAsync("/functions/hello/secrets/EPSILON_X", new { value = "v" }), "secret");
        await AssertFieldAsync(await admin.PutAsJsonAsync("/functions/hello/secrets/TOKEN", new { value = (string?)null }), "value");
        await AssertFieldAsync(await admin.PatchAsJsonAsync("/functions/hello/env",
            new { set = new Dictionary<string, string> { ["BIG"] = new string('x', FunctionConfigApi.MaxValueLength + 1) } }), "set.BIG");
        await AssertFieldAsync(await admin.PatchAsJsonAsync("/functions/hello/env",
            new { set = Enumerable.Range(0, FunctionConfigApi.MaxVariables + 1).ToDictionary(i => $"V{i}", i => "x") }), "set");
    }

    private static async Task AssertFieldAsync(HttpResponseMessage response, string field)
    {
        using (response)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body.ToString());
            Assert.Equal(field, body.GetProperty("error").GetProperty("field").GetString());
        }
    }

    private static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Makes <c>hello</c> v1 live in the builder's store, as a deploy of <see cref="Shop"/> would.</summary>
    private async Task DeployAsync()
    {
        IFunctionStore store = new SqliteFunctionStore(Options.Create(new StoreOptions { Path = Path.Combine(_root, "epsilon.db") }), TimeProvider.System);
        var deployment = await store.CreateDeploymentAsync(Shop, null);
        await store.ReserveVersionsAsync(deployment.Id, Shop,
            [KeyValuePair.Create("hello", new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = "hello" })],
            (function, version) => $"registry.test/{function}:v{version}");
        await store.CompleteDeploymentAsync(deployment.Id, true, "c1", null, "");
    }
}
