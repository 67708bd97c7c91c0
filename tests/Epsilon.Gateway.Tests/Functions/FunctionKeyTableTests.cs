using Epsilon.Core.Auth;
using Epsilon.Gateway.Pooling;

namespace Epsilon.Gateway.Functions;

/// <summary>Function keys come with the function table: checked against its snapshot, reloaded for an unknown key at most once a second.</summary>
public sealed class FunctionKeyTableTests
{
    [Fact]
    public async Task HasKeyAsync_KnowsTheLoadedKeys_PerFunction()
    {
        using var gateway = new PoolsHarness();
        gateway.Store.KeyHashes = [("shop", TokenSecret.Hash("one")), ("blog", TokenSecret.Hash("two"))];
        await gateway.GoLiveAsync();

        Assert.True(await gateway.Table.HasKeyAsync("shop", TokenSecret.Hash("one"), CancellationToken.None));
        Assert.False(await gateway.Table.HasKeyAsync("shop", TokenSecret.Hash("two"), CancellationToken.None));
        Assert.False(await gateway.Table.HasKeyAsync("nope", TokenSecret.Hash("one"), CancellationToken.None));
    }

    [Fact]
    public async Task HasKeyAsync_UnknownKey_ReloadsOnlyOnceTheTableIsASecondOld()
    {
        using var gateway = new PoolsHarness();
        await gateway.GoLiveAsync();
        gateway.Store.KeyHashes = [("shop", TokenSecret.Hash("new"))];

        // Loaded just now: an unknown key costs no store read.
        Assert.False(await gateway.Table.HasKeyAsync("shop", TokenSecret.Hash("new"), CancellationToken.None));
        gateway.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await gateway.Table.HasKeyAsync("shop", TokenSecret.Hash("new"), CancellationToken.None));

        // Revoked: gone at the next reload.
        gateway.Store.KeyHashes = [];
        await gateway.Table.RefreshAsync(null, CancellationToken.None);
        Assert.False(await gateway.Table.HasKeyAsync("shop", TokenSecret.Hash("new"), CancellationToken.None));
    }
}
