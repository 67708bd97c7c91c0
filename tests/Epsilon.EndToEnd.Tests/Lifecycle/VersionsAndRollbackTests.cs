using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Lifecycle;

/// <summary>A function's versions, rollback served by the gateway, deploys of the same source, and names a failed first deploy frees.</summary>
[Collection(PlatformCollection.Name)]
public sealed class VersionsAndRollbackTests(PlatformFixture platform)
{
    [Fact]
    public async Task Versions_ListEveryVersion_AndRollback_MovesWhatTheGatewayServes()
    {
        var name = "roll-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "one"),
        });
        var first = await platform.DeployOkAsync(repository.Path);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("handler", "two") }, "two");
        var second = await platform.DeployOkAsync(repository.Path);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = "module.exports.handler = {\n  definition: async (req, res) => {\n" }, "broken");
        var (failedStatus, _) = await platform.DeployAsync(repository.Path);
        Assert.Equal(422, failedStatus);
        Assert.Equal("two", await platform.Gateway.GetStringAsync($"/{name}/"));

        var versions = await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}/versions");
        Assert.Equal([3, 2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(["failed", "ready", "ready"], versions.EnumerateArray().Select(v => v.GetProperty("status").GetString()));
        Assert.Equal([false, true, false], versions.EnumerateArray().Select(v => v.GetProperty("live").GetBoolean()));
        Assert.Equal(second.GetProperty("commit").GetString(), versions[1].GetProperty("commit").GetString());
        Assert.Equal(first.GetProperty("deploymentId").GetString(), versions[2].GetProperty("deploymentId").GetString());
        Assert.Equal($"127.0.0.1:5000/{name}:v1", versions[2].GetProperty("image").GetString());
        Assert.True(versions[2].TryGetProperty("createdAt", out _));

        // No body: the version before the live one; the answer comes once the gateway serves it.
        var back = await RollbackAsync(name, null);
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Equal((1, 2), (back.Body.GetProperty("version").GetInt32(), back.Body.GetProperty("previousVersion").GetInt32()));
        Assert.True(back.Body.GetProperty("rollout").GetProperty("complete").GetBoolean(), back.Body.ToString());
        Assert.Equal("one", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.Equal(1, (await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}")).GetProperty("version").GetInt32());

        var forward = await RollbackAsync(name, """{"version": 2}""");
        Assert.Equal(HttpStatusCode.OK, forward.Status);
        Assert.Equal("two", await platform.Gateway.GetStringAsync($"/{name}/"));

        ApiErrors.AssertError(await RollbackAsync(name, """{"version": 2}"""), HttpStatusCode.Conflict, "AlreadyLive", "already live");
        ApiErrors.AssertError(await RollbackAsync(name, """{"version": 3}"""), HttpStatusCode.Conflict, "VersionNotReady", "failed");
        ApiErrors.AssertError(await RollbackAsync(name, """{"version": 9}"""), HttpStatusCode.NotFound, "VersionNotFound", "no version 9");
        ApiErrors.AssertError(await RollbackAsync(name, """{"version": 0}"""), HttpStatusCode.BadRequest, "InvalidVersion", "positive");
        ApiErrors.AssertError(await RollbackAsync(name, """{"version": "two"}"""), HttpStatusCode.BadRequest, "InvalidBody", "version");
        ApiErrors.AssertError(await RollbackAsync("no-such-function", null), HttpStatusCode.NotFound, "FunctionNotFound", "does not exist");
        using var missing = await platform.Builder.GetAsync("/functions/no-such-function/versions");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("two", await platform.Gateway.GetStringAsync($"/{name}/"));
    }

    [Fact]
    public async Task Deploy_SameCommitManifestAndRuntime_MakesNoNewVersion_UnlessForced()
    {
        var name = "same-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "same"),
        });
        await platform.DeployOkAsync(repository.Path);

        var again = await platform.DeployOkAsync(repository.Path);

        var function = again.GetProperty("functions").EnumerateArray().Single();
        Assert.Equal(1, function.GetProperty("version").GetInt32());
        Assert.True(function.GetProperty("unchanged").GetBoolean(), again.ToString());
        Assert.Equal("ready", again.GetProperty("status").GetString());
        Assert.Contains(await platform.DeploymentLogAsync(again), l => l.Contains($"function '{name}' is unchanged: v1 is live", StringComparison.Ordinal));
        var stored = await platform.Builder.GetFromJsonAsync<JsonElement>($"/deployments/{again.GetProperty("deploymentId").GetString()}");
        Assert.True(stored.GetProperty("functions")[0].GetProperty("unchanged").GetBoolean());
        Assert.Single((await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}/versions")).EnumerateArray());

        using var forced = await platform.Builder.PostAsJsonAsync("/deployments?force=true", new { repository = repository.Path });
        var body = await forced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, forced.StatusCode);
        Assert.Equal(2, body.GetProperty("functions")[0].GetProperty("version").GetInt32());
        Assert.False(body.GetProperty("functions")[0].TryGetProperty("unchanged", out _));

        // A changed manifest (same code) is a new version.
        repository.Commit(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n    timeout: 5s\n",
        }, "timeout");
        Assert.Equal(3, (await platform.DeployOkAsync(repository.Path)).GetProperty("functions")[0].GetProperty("version").GetInt32());
        Assert.Equal("same", await platform.Gateway.GetStringAsync($"/{name}/"));
    }

    [Fact]
    public async Task FailedFirstDeploy_FreesItsName_ForAnotherRepository()
    {
        var name = "claim-" + Guid.NewGuid().ToString("N")[..6];
        using var first = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = "module.exports.handler = {\n  definition: async (req, res) => {\n",
        });
        var (status, _) = await platform.DeployAsync(first.Path);
        Assert.Equal(422, status);
        using var gone = await platform.Builder.GetAsync($"/functions/{name}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        using var second = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "second repository"),
        });
        var deployed = await platform.DeployOkAsync(second.Path);

        Assert.Equal(2, deployed.GetProperty("functions")[0].GetProperty("version").GetInt32());
        Assert.Equal("second repository", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.EndsWith(Path.GetFileName(second.Path),
            (await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}")).GetProperty("repository").GetString()!.TrimEnd('/'));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> RollbackAsync(string name, string? json)
    {
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await platform.Builder.PostAsync($"/functions/{name}/rollback", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
