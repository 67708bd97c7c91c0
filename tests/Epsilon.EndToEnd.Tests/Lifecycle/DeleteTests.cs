using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Lifecycle;

/// <summary><c>DELETE /functions/{name}</c> on the real platform: routes, containers, registry tags, the name, the history.</summary>
[Collection(PlatformCollection.Name)]
public sealed class DeleteTests(PlatformFixture platform)
{
    private static readonly HttpClient s_registry = new() { BaseAddress = new Uri("http://127.0.0.1:5000"), Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Delete_RemovesRoutesContainersAndImages_FreesTheName_KeepsTheHistory()
    {
        var name = "gone-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n    minWarm: 1\n",
            ["index.js"] = Functions.Text("handler", "one"),
        });
        await platform.DeployOkAsync(repository.Path);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("handler", "two") }, "two");
        await platform.DeployOkAsync(repository.Path);
        Assert.Equal("two", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.NotEmpty(await platform.ContainersAsync(platform.GatewayId, name));
        Assert.Equal(["v1", "v2"], await TagsAsync(name));

        using var response = await platform.Builder.DeleteAsync($"/functions/{name}");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal([$"127.0.0.1:5000/{name}:v1", $"127.0.0.1:5000/{name}:v2"],
            body.GetProperty("deletedImages").EnumerateArray().Select(i => i.GetString()!));
        Assert.Empty(body.GetProperty("imageErrors").EnumerateArray());
        Assert.True(body.GetProperty("rollout").GetProperty("complete").GetBoolean(), body.ToString());

        // At once: the gateway no longer routes it, and the registry has none of its tags.
        using (var call = await platform.Gateway.GetAsync($"/{name}/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, call.StatusCode);
        }

        Assert.Empty(await TagsAsync(name));
        // The gateway retires its containers (minWarm no longer holds them) and removes them once idle.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await platform.ContainersAsync(platform.GatewayId, name)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Empty(await platform.ContainersAsync(platform.GatewayId, name));

        using (var info = await platform.Builder.GetAsync($"/functions/{name}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, info.StatusCode);
        }

        using (var listed = await platform.Builder.GetAsync($"/functions/{name}/versions"))
        {
            Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
            Assert.Contains("deleted=true", (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString());
        }

        var history = await platform.Builder.GetFromJsonAsync<JsonElement>($"/functions/{name}/versions?deleted=true");
        Assert.Equal([2, 1], history.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.All(history.EnumerateArray(), v => Assert.Equal(JsonValueKind.String, v.GetProperty("deletedAt").ValueKind));
        Assert.DoesNotContain((await platform.Builder.GetFromJsonAsync<JsonElement>("/functions")).EnumerateArray(),
            f => f.GetProperty("name").GetString() == name);
        using (var again = await platform.Builder.DeleteAsync($"/functions/{name}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            Assert.Equal("FunctionNotFound", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        }

        // Another repository takes the free name; its versions go on from the deleted ones, so no old tag comes back.
        using var other = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "new owner"),
        });
        var taken = await platform.DeployOkAsync(other.Path);
        Assert.Equal(3, taken.GetProperty("functions")[0].GetProperty("version").GetInt32());
        Assert.Equal("new owner", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.Equal(["v3"], await TagsAsync(name));
    }

    /// <summary>The registry's tags of <paramref name="repository"/>; none when it has no tag or no such repository.</summary>
    private static async Task<string[]> TagsAsync(string repository)
    {
        using var response = await s_registry.GetAsync($"/v2/{repository}/tags/list");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? [.. tags.EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal)]
            : [];
    }
}
