using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Fleet;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Config;

/// <summary>
/// Env and secrets without a redeploy, through the real builder, gateway, Docker and registry: a change is a new live
/// version the function sees at once, later deploys keep it, calls under load never fail across it, and a secret's value
/// reaches the function and nothing else (no answer, log, store row in clear, or image layer).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ConfigTests(PlatformFixture platform)
{
    private const string Manifest = """
        runtime: node
        functions:
          {0}:
            handler: index.js:env
            env:
              A: manifest
              B: manifest
        """;

    [Fact]
    public async Task EnvSetAndUnset_ReachTheFunctionWithoutARedeploy_AndLaterDeploysKeepThem()
    {
        const string name = "cfg-env";
        using var repository = Repository(name);
        await platform.DeployOkAsync(repository.Path);

        var change = await ChangeEnvAsync(name, new { set = new Dictionary<string, string> { ["GREETING"] = "hello there", ["A"] = "override" }, unset = new[] { "B" } });

        Assert.Equal((2, 1, "env set A, GREETING; env unset B"),
            (change.GetProperty("version").GetInt32(), change.GetProperty("previousVersion").GetInt32(), change.GetProperty("change").GetString()));
        Assert.True(change.GetProperty("rollout").GetProperty("complete").GetBoolean(), change.ToString());
        var seen = await CallAsync(name);
        Assert.Equal(("hello there", "override", false), (Text(seen, "GREETING"), Text(seen, "A"), seen.TryGetProperty("B", out _)));

        var env = await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}/env");
        Assert.Equal(2, env.GetProperty("version").GetInt32());
        Assert.Equal(["A", "GREETING"], env.GetProperty("env").EnumerateObject().Select(p => p.Name));
        Assert.Equal([("A", false), ("B", true), ("GREETING", false)],
            env.GetProperty("overrides").EnumerateArray().Select(o => (o.GetProperty("name").GetString(), o.GetProperty("unset").GetBoolean())));
        var versions = await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}/versions");
        Assert.Equal("env set A, GREETING; env unset B", versions[0].GetProperty("change").GetString());
        Assert.Equal(versions[1].GetProperty("image").GetString(), versions[0].GetProperty("image").GetString());

        // The same commit again makes no version: the change did not change what the function is built from.
        var again = await platform.DeployOkAsync(repository.Path);
        Assert.True(again.GetProperty("functions")[0].GetProperty("unchanged").GetBoolean(), again.ToString());
        Assert.Equal(2, again.GetProperty("functions")[0].GetProperty("version").GetInt32());

        // A new commit is built; its version carries the overrides over the manifest.
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Env + "\n// v2\n" }, "change the code");
        var redeployed = await platform.DeployOkAsync(repository.Path);
        Assert.Equal(3, redeployed.GetProperty("functions")[0].GetProperty("version").GetInt32());
        seen = await CallAsync(name);
        Assert.Equal(("hello there", "override", false), (Text(seen, "GREETING"), Text(seen, "A"), seen.TryGetProperty("B", out _)));

        await ChangeEnvAsync(name, new { unset = new[] { "GREETING" } });
        Assert.False((await CallAsync(name)).TryGetProperty("GREETING", out _));
    }

    [Theory]
    [InlineData("""{"set": {"EPSILON_FUNCTION_NAME": "x"}}""", "set.EPSILON_FUNCTION_NAME")]
    [InlineData("""{"set": {"PORT": "9000"}}""", "set.PORT")]
    [InlineData("""{"set": {"1BAD": "x"}}""", "set.1BAD")]
    [InlineData("""{"unset": ["has space"]}""", "unset[0]")]
    public async Task EnvChange_BadName_400NamingTheField(string body, string field)
    {
        await platform.EnsureEchoAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await platform.Builder.PatchAsync("/functions/echo/env", content);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task SecretValue_ReachesTheFunction_AndNoAnswerLogStoreOrImageLayer()
    {
        const string name = "cfg-secret";
        using var repository = Repository(name);
        var deployed = await platform.DeployOkAsync(repository.Path);
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        var answers = new List<string> { deployed.ToString() };

        using (var put = await platform.Builder.PutAsJsonAsync($"/functions/{name}/secrets/API_TOKEN", new { value = marker }))
        {
            answers.Add(await put.Content.ReadAsStringAsync());
            Assert.True(put.StatusCode == HttpStatusCode.OK, answers[^1]);
        }

        var change = JsonDocument.Parse(answers[^1]).RootElement;
        Assert.Equal("secret set API_TOKEN", change.GetProperty("change").GetString());
        Assert.Equal(marker, Text(await CallAsync(name), "API_TOKEN"));

        foreach (var path in new[]
        {
            "/functions", $"/functions/{name}", $"/functions/{name}/versions", $"/functions/{name}/env", $"/functions/{name}/secrets",
            $"/deployments/{deployed.GetProperty("deploymentId").GetString()}", $"/deployments/{deployed.GetProperty("deploymentId").GetString()}/log",
            $"/deployments/{change.GetProperty("deploymentId").GetString()}", $"/deployments/{change.GetProperty("deploymentId").GetString()}/log",
        })
        {
            answers.Add(await platform.Builder.GetStringAsync(path));
        }

        Assert.Contains("API_TOKEN", answers[^5], StringComparison.Ordinal);
        Assert.Equal(["API_TOKEN"], JsonDocument.Parse(answers[3]).RootElement.GetProperty("settings").GetProperty("secretNames")
            .EnumerateArray().Select(n => n.GetString()));
        Assert.All(answers, a => Assert.DoesNotContain(marker, a, StringComparison.Ordinal));
        // The capture holds both services' lines (this change's own among them), and none holds the value.
        Assert.Contains(platform.Logs.Lines, l => l.Contains($"Function '{name}' v2 is live", StringComparison.Ordinal));
        Assert.Contains(platform.Logs.Lines, l => l.StartsWith("Epsilon.Gateway", StringComparison.Ordinal));
        Assert.DoesNotContain(platform.Logs.Lines, l => l.Contains(marker, StringComparison.Ordinal));
        foreach (var file in new[] { platform.StorePath, platform.StorePath + "-wal" }.Where(File.Exists))
        {
            Assert.False(Contains(await ReadSharedAsync(file), marker), $"{file} holds the secret in clear");
        }

        var image = (await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}")).GetProperty("image").GetString()!;
        var saved = await DockerSaveAsync(image);
        // The handler's own marker proves the search finds what an image does hold.
        Assert.True(Contains(saved, "image-search-control"), "the image search did not find the handler's own source");
        Assert.False(Contains(saved, marker), $"a layer of {image} holds the secret");

        using (var removed = await platform.Builder.DeleteAsync($"/functions/{name}/secrets/API_TOKEN"))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        Assert.False((await CallAsync(name)).TryGetProperty("API_TOKEN", out _));
        using var absent = await platform.Builder.DeleteAsync($"/functions/{name}/secrets/API_TOKEN");
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
    }

    [Fact]
    public async Task EnvChange_UnderSteadyLoad_NoCallFails_AndEveryCallAfterTheAnswerSeesTheNewValue()
    {
        const string name = "cfg-load";
        using var repository = Repository(name);
        await platform.DeployOkAsync(repository.Path);
        await ChangeEnvAsync(name, new { set = new Dictionary<string, string> { ["GREETING"] = "before" } });
        var changed = 0;
        await using var load = new SteadyLoad(platform.Gateway, [$"/{name}/"], workers: 4, TimeSpan.FromMilliseconds(5), _ =>
        {
            var after = Volatile.Read(ref changed) == 1;
            return body => Text(JsonDocument.Parse(body).RootElement, "GREETING") is var greeting
                && (greeting == "after" || (!after && greeting == "before"));
        });
        await load.WaitForAsync(50, TimeSpan.FromSeconds(60));

        await ChangeEnvAsync(name, new { set = new Dictionary<string, string> { ["GREETING"] = "after" } });
        Volatile.Write(ref changed, 1);
        await load.WaitForAsync(200, TimeSpan.FromSeconds(60));

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} failed call(s) of {load.Succeeded + load.Failures.Count}: {string.Join("\n", load.Failures.Take(10))}");
    }

    private TestRepository Repository(string name) => TestRepository.Create(new Dictionary<string, string>
    {
        ["epsilon.yaml"] = Manifest.Replace("{0}", name, StringComparison.Ordinal),
        ["index.js"] = Functions.Env,
    });

    private async Task<JsonElement> ChangeEnvAsync(string function, object body)
    {
        using var response = await platform.Builder.PatchAsJsonAsync($"/functions/{function}/env", body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PATCH env answered {(int)response.StatusCode}: {answer}");
        return answer;
    }

    private async Task<JsonElement> CallAsync(string function)
    {
        using var response = await platform.Gateway.GetAsync($"/{function}/");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// Every layer of <paramref name="image"/> as <c>docker save</c> writes it: one tar holding each layer's tar
    /// uncompressed, so every file of every layer is in it byte for byte.
    /// </summary>
    private static async Task<byte[]> DockerSaveAsync(string image)
    {
        var file = Path.GetTempFileName();
        try
        {
            await FleetFixture.DockerAsync(["pull", "-q", image]);
            await FleetFixture.DockerAsync(["save", "-o", file, image]);
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
