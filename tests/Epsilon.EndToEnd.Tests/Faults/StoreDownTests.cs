using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.EndToEnd.Tests.Operations;

namespace Epsilon.EndToEnd.Tests.Faults;

/// <summary>
/// The store down (PostgreSQL, its sessions ended and new ones refused): the gateway logs that its table could not be
/// reloaded, serves on from the last one, and takes a new deploy once the store is back.
/// </summary>
public sealed class StoreDownTests
{
    private const string RefreshFailed = "Reloading the function table failed; keeping the last one.";

    [Fact]
    public async Task StoreDown_GatewayServesFromItsLastTable_AndRecoversWhenItIsBack()
    {
        await using var platform = await ProcessPlatform.CreateAsync(StoreProvider.Postgres);
        using var repository = await TextFunction.ServeAsync(platform, "store-down-hello", "one");

        try
        {
            await platform.SetStoreReachableAsync(false);
            await Containers.WaitUntilAsync(async () =>
                {
                    Assert.Equal((200, "one"), await platform.CallAsync("store-down-hello"));
                    return platform.GatewayOutput.Contains(RefreshFailed, StringComparison.Ordinal);
                },
                TimeSpan.FromMinutes(2), () => $"the gateway did not log a failed reload:\n{platform.GatewayOutput}");
            Assert.Equal((200, "one"), await platform.CallAsync("store-down-hello"));
        }
        finally
        {
            await platform.SetStoreReachableAsync(true);
        }

        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("hello", "two") }, "two");
        await platform.DeployOkAsync(repository.Path);
        await Containers.WaitUntilAsync(async () => await platform.CallAsync("store-down-hello") == (200, "two"),
            TimeSpan.FromMinutes(1), () => $"the gateway did not take the deploy made once the store was back:\n{platform.GatewayOutput}");
    }
}
