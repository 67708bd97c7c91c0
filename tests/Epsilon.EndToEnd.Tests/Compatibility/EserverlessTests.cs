using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Compatibility;

[Collection(PlatformCollection.Name)]
public sealed class EserverlessTests(PlatformFixture platform)
{
    [Fact]
    public async Task EserverlessRepository_DeploysThroughItsApi_AndAnswersOnItsInvokeRoute()
    {
        using var repository = TestRepository.FromDirectory("examples/eserveless-node");

        using var response = await platform.Builder.PostAsJsonAsync("/api/projects", new { repository = repository.Path });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("acme-eserveless-shop", body.GetProperty("project").GetString());
        Assert.Equal(["/invoke/acme-eserveless-shop/api"], body.GetProperty("functions").EnumerateArray().Select(f => f.GetString()));

        Assert.Equal("Hello, World! POST /orders?id=7",
            await (await platform.Gateway.PostAsync("/invoke/acme-eserveless-shop/API/orders?id=7", new StringContent("x"))).Content.ReadAsStringAsync());
        Assert.Equal("Hello, World! GET /", await platform.Gateway.GetStringAsync("/acme-eserveless-shop-api/"));

        var deployment = await platform.Builder.GetFromJsonAsync<JsonElement>($"/deployments/{body.GetProperty("deploymentId").GetString()}");
        Assert.Contains("cron function 'acme-eserveless-shop-ticker'", deployment.GetProperty("log").GetString());
    }

    [Fact]
    public async Task EserverlessGoRepository_DeploysUnchanged_WithoutATokenFromLoopback()
    {
        using var repository = TestRepository.FromDirectory("examples/eserveless-go");

        // As eserveless's own CLI calls: no token, which the builder takes from loopback (its default source addresses).
        using var tokenless = new HttpClient { BaseAddress = platform.Builder.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        using var response = await tokenless.PostAsJsonAsync("/api/projects", new { repository = repository.Path });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(["/invoke/acme-eserveless-go/api"], body.GetProperty("functions").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("Hello, World! GET /items?x=1", await platform.Gateway.GetStringAsync("/invoke/acme-eserveless-go/API/items?x=1"));
    }

    [Fact]
    public async Task EserverlessApi_InvalidRepository_Is400InItsErrorShape()
    {
        using var response = await platform.Builder.PostAsJsonAsync("/api/projects", new { repository = "ftp://nope" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bad Request", body.GetProperty("error").GetString());
        Assert.Contains("repository", body.GetProperty("message").GetString());
    }
}
