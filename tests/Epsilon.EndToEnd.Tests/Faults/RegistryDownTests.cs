using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.EndToEnd.Tests.Operations;

namespace Epsilon.EndToEnd.Tests.Faults;

/// <summary>
/// The registry down, on a platform with a registry of its own (the machine's stays up for the other tests): a deploy
/// fails naming the registry, functions running keep serving, and cold starts of images already on the VM still work.
/// </summary>
public sealed class RegistryDownTests
{
    [Fact]
    public async Task RegistryDown_DeployFailsNamingIt_RunningAndLocallyPresentFunctionsServe()
    {
        await using var platform = await ProcessPlatform.CreateAsync(StoreProvider.Sqlite);
        await platform.StartServicesAsync();
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  down-warm:\n    handler: index.js:warm\n  down-cold:\n    handler: index.js:cold\n",
            ["index.js"] = Functions.Text("warm", "warm") + "\n" + Functions.Text("cold", "cold"),
        });
        await platform.DeployOkAsync(repository.Path);
        Assert.Equal((200, "warm"), await platform.CallAsync("down-warm"));

        await platform.StopRegistryAsync();
        try
        {
            using var other = TestRepository.Create(new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: node\nfunctions:\n  down-new:\n    handler: index.js:hello\n",
                ["index.js"] = Functions.Text("hello", "new"),
            });
            using var response = await platform.Builder.PostAsJsonAsync(platform.BuilderUrl + "/deployments", new { repository = other.Path });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(response.IsSuccessStatusCode, $"a deploy with the registry down answered {(int)response.StatusCode}: {body}");
            Assert.Contains(platform.RegistryAddress, body.GetRawText(), StringComparison.Ordinal);

            Assert.Equal((200, "warm"), await platform.CallAsync("down-warm"));
            // Never started on this gateway, but its image was built on this VM: no pull is needed.
            Assert.Equal((200, "cold"), await platform.CallAsync("down-cold"));
        }
        finally
        {
            await platform.StartRegistryAsync();
        }
    }
}
