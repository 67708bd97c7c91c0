using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Lifecycle;

/// <summary>Aliases and canary splits through the real gateway: weighted live, /fn@alias|vN/, Host routes, refusals, and a deploy ending a split.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AliasTests(PlatformFixture platform)
{
    [Fact]
    public async Task WeightedLive_SplitsOneThousandCallersWithin3Points_AndEachCallerKeepsItsVersion()
    {
        var (name, repository) = await DeployTwoVersionsAsync("canary");
        using var _ = repository;

        var set = await PutAsync(name, "live", """{"weights": {"1": 90, "2": 10}}""");
        Assert.Equal(HttpStatusCode.OK, set.Status);
        Assert.True(set.Body.GetProperty("rollout").GetProperty("complete").GetBoolean(), set.Body.ToString());

        var served = new Dictionary<string, int>();
        for (var i = 0; i < 1000; i++)
        {
            served[$"caller-{i}"] = await CallAsync($"/{name}/", $"caller-{i}");
        }

        var share = served.Values.Count(v => v == 2) / 10.0;
        Assert.InRange(share, 10 - 3, 10 + 3);
        for (var i = 0; i < 1000; i += 7)
        {
            Assert.Equal(served[$"caller-{i}"], await CallAsync($"/{name}/", $"caller-{i}"));
        }

        // The same split by cookie, and by Host.
        var byCookie = new HttpRequestMessage(HttpMethod.Get, $"/{name}/");
        byCookie.Headers.Add("Cookie", "epsilon-caller=caller-3");
        Assert.Equal(served["caller-3"], await VersionOfAsync(byCookie));
        Assert.Equal(served["caller-5"], await CallAsync("/", "caller-5", host: $"{name}.{PlatformFixture.BaseDomain}"));

        var aliases = await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}/aliases");
        var live = Assert.Single(aliases.EnumerateArray());
        Assert.Equal("live", live.GetProperty("name").GetString());
        Assert.Equal(90, live.GetProperty("weights").GetProperty("1").GetInt32());
        var function = await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}");
        Assert.Equal(10, function.GetProperty("aliases")[0].GetProperty("weights").GetProperty("2").GetInt32());
    }

    [Fact]
    public async Task VersionsAndAliases_AreCalledByPathAndByHost_WithTheirKeysChecked()
    {
        var (name, repository) = await DeployTwoVersionsAsync("direct");
        using var _ = repository;
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(name, "beta", """{"version": 1}""")).Status);

        Assert.Equal("one /a/b", await platform.Gateway.GetStringAsync($"/{name}@v1/a/b"));
        Assert.Equal("two /", await platform.Gateway.GetStringAsync($"/{name}@v2/"));
        Assert.Equal("one /", await platform.Gateway.GetStringAsync($"/{name}@beta/"));
        Assert.Equal("two /", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.Equal("one /x", await GetByHostAsync($"beta.{name}.{PlatformFixture.BaseDomain}", "/x"));
        Assert.Equal("one /_epsilon/health", await GetByHostAsync($"v1.{name}.{PlatformFixture.BaseDomain}", "/_epsilon/health"));
        Assert.Equal("two /items/7", await GetByHostAsync($"{name}.{PlatformFixture.BaseDomain}", "/items/7"));

        await AssertGatewayErrorAsync($"/{name}@v9/", HttpStatusCode.NotFound, "VersionNotFound");
        await AssertGatewayErrorAsync($"/{name}@v3/", HttpStatusCode.NotFound, "VersionNotFound");
        await AssertGatewayErrorAsync($"/{name}@gamma/", HttpStatusCode.NotFound, "AliasNotFound");
        await AssertGatewayErrorAsync($"/no-such-fn@v1/", HttpStatusCode.NotFound, "FunctionNotFound");

        // Removed: the gateways drop it before the answer.
        using (var removed = await platform.Builder.DeleteAsync($"/functions/{name}/aliases/beta"))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        await AssertGatewayErrorAsync($"/{name}@beta/", HttpStatusCode.NotFound, "AliasNotFound");
    }

    [Fact]
    public async Task PrivateFunction_NeedsItsKey_OnEveryRoute()
    {
        var name = "alias-key-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n    public: false\n",
            ["index.js"] = Functions.TextAndPath("handler", "one"),
        });
        await platform.DeployOkAsync(repository.Path);
        using var created = await platform.Builder.PostAsJsonAsync($"/functions/{name}/keys", new { name = "e2e" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        // Set after the key: its answer waits for the gateway to reload the table, keys included.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(name, "beta", """{"version": 1}""")).Status);

        foreach (var (path, host) in new[] { ($"/{name}@v1/", (string?)null), ($"/{name}@beta/", null), ("/", $"beta.{name}.{PlatformFixture.BaseDomain}") })
        {
            using var refused = await SendAsync(path, host, key: null);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            using var allowed = await SendAsync(path, host, key);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
    }

    [Fact]
    public async Task SetAlias_Refusals_NameTheField_AndADeployEndsASplit()
    {
        var (name, repository) = await DeployTwoVersionsAsync("rules");
        using var _ = repository;

        async Task RefusedAsync(string alias, string json, string code, string field) =>
            ApiErrors.AssertError(await PutAsync(name, alias, json), HttpStatusCode.BadRequest, code, field: field);

        await RefusedAsync("V1", """{"version": 1}""", "InvalidAlias", "alias");
        await RefusedAsync("v3", """{"version": 1}""", "InvalidAlias", "alias");
        await RefusedAsync("beta", """{}""", "InvalidBody", "version");
        await RefusedAsync("beta", """{"version": 1, "weights": {"1": 100}}""", "InvalidBody", "version");
        await RefusedAsync("beta", """{"version": 0}""", "InvalidVersion", "version");
        await RefusedAsync("beta", """{"weights": {"1": 50, "2": 40}}""", "InvalidWeights", "weights");
        await RefusedAsync("beta", """{"weights": {"1": 0, "2": 100}}""", "InvalidWeights", "weights.1");
        await RefusedAsync("beta", """{"weights": {"x": 50, "2": 50}}""", "InvalidWeights", "weights.x");
        await RefusedAsync("beta", """{"weights": {"1": 20, "2": 20, "3": 20, "4": 20, "5": 10, "6": 10}}""", "InvalidWeights", "weights");
        await RefusedAsync("beta", """{"weights": {"1": 50, "9": 50}}""", "VersionNotFound", "weights.9");
        await RefusedAsync("beta", """{"version": 9}""", "VersionNotFound", "version");
        ApiErrors.AssertError(await PutAsync("no-such-function", "beta", """{"version": 1}"""), HttpStatusCode.NotFound, "FunctionNotFound");
        using (var live = await platform.Builder.DeleteAsync($"/functions/{name}/aliases/live"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, live.StatusCode);
        }

        using (var missing = await platform.Builder.DeleteAsync($"/functions/{name}/aliases/gamma"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await PutAsync(name, "live", """{"weights": {"1": 50, "2": 50}}""")).Status);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.TextAndPath("handler", "three") }, "three");
        await platform.DeployOkAsync(repository.Path);

        var aliases = await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}/aliases");
        var live2 = Assert.Single(aliases.EnumerateArray());
        Assert.Equal(100, live2.GetProperty("weights").GetProperty("3").GetInt32());
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(3, await CallAsync($"/{name}/", $"caller-{i}"));
        }

        var versions = await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}/versions");
        Assert.All(versions.EnumerateArray(), v => Assert.True(v.GetProperty("kept").GetBoolean()));
    }

    /// <summary>A function with v1 answering "one" and v2 (live) answering "two", each followed by the path it saw, and its repository.</summary>
    private async Task<(string Name, TestRepository Repository)> DeployTwoVersionsAsync(string prefix)
    {
        var name = $"alias-{prefix}-" + Guid.NewGuid().ToString("N")[..6];
        var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.TextAndPath("handler", "one"),
        });
        await platform.DeployOkAsync(repository.Path);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.TextAndPath("handler", "two") }, "two");
        await platform.DeployOkAsync(repository.Path);
        return (name, repository);
    }

    /// <summary>Calls as <paramref name="caller"/>, checks the body agrees with X-Epsilon-Version, and returns that version.</summary>
    private async Task<int> CallAsync(string path, string caller, string? host = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Epsilon-Caller", caller);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await VersionOfAsync(request);
    }

    private async Task<int> VersionOfAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await platform.Gateway.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
            var version = int.Parse(response.Headers.GetValues("X-Epsilon-Version").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith(version switch { 1 => "one ", 2 => "two ", _ => "three " }, body, StringComparison.Ordinal);
            return version;
        }
    }

    private async Task<string> GetByHostAsync(string host, string path)
    {
        using var response = await SendAsync(path, host, key: null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return body;
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? host, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (key is not null)
        {
            request.Headers.Add("X-Epsilon-Key", key);
        }

        return await platform.Gateway.SendAsync(request);
    }

    private async Task AssertGatewayErrorAsync(string path, HttpStatusCode status, string code)
    {
        using var response = await platform.Gateway.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == status, $"{path}: expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(string name, string alias, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await platform.Builder.PutAsync($"/functions/{name}/aliases/{alias}", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
