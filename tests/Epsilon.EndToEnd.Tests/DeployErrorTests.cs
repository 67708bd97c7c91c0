using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class DeployErrorTests(PlatformFixture platform)
{
    [Fact]
    public async Task Deploy_BadManifest_Is422NamingTheKeyAndLine()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  bad:\n    handler: index.js:bad\n    timeout: soon\n    colour: blue\n",
            ["index.js"] = Functions.Text("bad", "x"),
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("ManifestInvalid", error.GetProperty("code").GetString());
        var details = error.GetProperty("details").EnumerateArray().ToList();
        Assert.Contains(details, d => d.GetProperty("key").GetString() == "functions.bad.timeout" && d.GetProperty("line").GetInt32() == 5);
        Assert.Contains(details, d => d.GetProperty("key").GetString() == "functions.bad.colour" && d.GetProperty("line").GetInt32() == 6);
        Assert.Contains("soon", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Deploy_OverThePlatformsCeilings_Is422NamingEachKeyAndCeiling_AndReservesNothing()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = """
                runtime: node
                functions:
                  greedy:
                    handler: index.js:greedy
                    memory: 64Gi
                    cpu: 64
                    maxContainers: 900
                    minWarm: 200
                    timeout: 2h
                """,
            ["index.js"] = Functions.Text("greedy", "x"),
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("ManifestInvalid", error.GetProperty("code").GetString());
        var details = error.GetProperty("details").EnumerateArray().ToDictionary(d => d.GetProperty("key").GetString()!, d => d.GetProperty("message").GetString()!);
        foreach (var (key, setting) in new[]
                 {
                     ("memory", "MaxMemoryBytes"), ("cpu", "MaxCpu"), ("maxContainers", "MaxContainersPerFunction"), ("minWarm", "MaxMinWarm"),
                     ("timeout", "MaxTimeout"),
                 })
        {
            Assert.True(details.TryGetValue($"functions.greedy.{key}", out var message), string.Join("; ", details));
            Assert.Contains($"Epsilon:Limits:{setting}", message);
        }

        Assert.Contains("above the platform's ceiling of 5 (Epsilon:Limits:MaxMinWarm)", details["functions.greedy.minWarm"]);
        using var function = await platform.Builder.GetAsync("/functions/greedy");
        Assert.Equal(HttpStatusCode.NotFound, function.StatusCode);
        Assert.Empty(await platform.ContainersAsync(platform.GatewayId, "greedy"));
    }

    [Fact]
    public async Task Deploy_RepositoryWithoutManifest_Is422()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string> { ["README.md"] = "nothing here" });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        Assert.Contains("epsilon.yaml", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Deploy_RepositoryThatDoesNotExist_Is422NamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "epsilon-missing-" + Guid.NewGuid().ToString("N"));

        var (status, body) = await platform.DeployAsync(missing);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("RepositoryUnavailable", error.GetProperty("code").GetString());
        Assert.Equal("repository", error.GetProperty("field").GetString());
        Assert.Contains(missing, error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"repository": "ftp://example.com/repo"}""", "repository")]
    [InlineData("""{"repository": ""}""", "repository")]
    [InlineData("""{}""", "repository")]
    [InlineData("""{"repository": "acme/shop", "ref": "--upload-pack=touch"}""", "ref")]
    public async Task Deploy_InvalidRequest_Is400NamingTheField(string json, string field)
    {
        using var response = await platform.Builder.PostAsync("/deployments", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, body.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Deploy_MalformedJson_Is400()
    {
        using var response = await platform.Builder.PostAsync("/deployments", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("InvalidBody", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Deploy_ExportWithoutDefinition_FailsTheDeployNamingTheExport()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  nodef:\n    handler: index.js:nodef\n",
            ["index.js"] = "module.exports.nodef = { config: { timeout: 1000 } };\n",
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("BuildFailed", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("nodef", message);
        Assert.Contains("definition", message);
        using var listed = await platform.Builder.GetAsync("/functions/nodef");
        var function = await listed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(function.TryGetProperty("version", out _), function.ToString());
    }

    [Fact]
    public async Task Deploy_OneFunctionFailsToBuild_NoLiveVersionMoves()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  steady:\n    handler: steady.js:steady\n",
            ["steady.js"] = Functions.Text("steady", "first"),
        });
        await platform.DeployOkAsync(repository.Path);
        Assert.Equal("first", await platform.Gateway.GetStringAsync("/steady/"));

        repository.Commit(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  steady:\n    handler: steady.js:steady\n  broken:\n    handler: broken.js:broken\n",
            ["steady.js"] = Functions.Text("steady", "second"),
            ["broken.js"] = "module.exports.broken = {\n  definition: async (req, res) => { res.send('x') \n",
        }, "add a broken function");
        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        Assert.Contains("broken", body.GetProperty("error").GetProperty("message").GetString());
        var steady = await platform.Builder.GetFromJsonAsync<JsonElement>("/functions/steady");
        Assert.Equal(1, steady.GetProperty("version").GetInt32());
        await Task.Delay(1500);
        Assert.Equal("first", await platform.Gateway.GetStringAsync("/steady/"));
    }

    [Fact]
    public async Task Deploy_NameOwnedByAnotherRepository_Is409()
    {
        await platform.EnsureEchoAsync();
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  echo:\n    handler: index.js:echo\n",
            ["index.js"] = Functions.Text("echo", "impostor"),
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(409, status);
        Assert.Equal("FunctionNameTaken", body.GetProperty("error").GetProperty("code").GetString());
        Assert.NotEqual("impostor", await platform.Gateway.GetStringAsync("/echo/"));
    }
}
