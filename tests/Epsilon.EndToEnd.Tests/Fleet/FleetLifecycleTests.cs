using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.Core.Contracts;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>Rollback and delete across the fleet: each answers only once every gateway serves the change.</summary>
[Collection(FleetCollection.Name)]
public sealed class FleetLifecycleTests(FleetFixture fleet) : IAsyncLifetime
{
    public Task InitializeAsync() => fleet.EnsureAllRunningAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RollbackThenDelete_ReachEveryGatewayBeforeTheyAnswer()
    {
        var name = "fleet-life-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "one"),
        });
        await fleet.DeployAsync(repository);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("handler", "two") }, "two");
        await fleet.DeployAsync(repository);
        foreach (var gateway in fleet.Gateways)
        {
            Assert.Equal((HttpStatusCode.OK, "two"), await CallHereAsync(gateway, $"/{name}/"));
        }

        using (var rollback = await fleet.Builder.PostAsync($"/functions/{name}/rollback", null))
        {
            var body = await rollback.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(rollback.StatusCode == HttpStatusCode.OK, body.ToString());
            AssertEveryGateway(body.GetProperty("rollout"));
        }

        // At once, on every gateway's own table: the earlier version, never the later.
        foreach (var gateway in fleet.Gateways)
        {
            Assert.Equal((HttpStatusCode.OK, "one"), await CallHereAsync(gateway, $"/{name}/"));
        }

        using (var delete = await fleet.Builder.DeleteAsync($"/functions/{name}"))
        {
            var body = await delete.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(delete.StatusCode == HttpStatusCode.OK, body.ToString());
            AssertEveryGateway(body.GetProperty("rollout"));
        }

        foreach (var gateway in fleet.Gateways)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await CallHereAsync(gateway, $"/{name}/")).Status);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (await Task.WhenAll(fleet.Gateways.Select(g => FleetFixture.ContainersAsync(g.Id, name)))).Sum() > 0)
        {
            await Task.Delay(500);
        }

        foreach (var gateway in fleet.Gateways)
        {
            Assert.Equal(0, await FleetFixture.ContainersAsync(gateway.Id, name));
        }
    }

    private void AssertEveryGateway(JsonElement rollout)
    {
        Assert.True(rollout.GetProperty("complete").GetBoolean(), rollout.ToString());
        Assert.Equal(fleet.Gateways.Select(g => g.Id).Order(), rollout.GetProperty("gateways").EnumerateArray().Select(g => g.GetString()!).Order());
    }

    private static async Task<(HttpStatusCode Status, string Body)> CallHereAsync(GatewayNode gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(FleetHeaders.Home, "1");
        using var response = await gateway.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
