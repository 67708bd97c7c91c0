using Epsilon.Core.Model;
using Epsilon.Gateway.Pooling;
using static Epsilon.Gateway.Pooling.TestFunctions;

namespace Epsilon.Gateway.Functions;

/// <summary>The table's aliases, a split live, and versions named directly, read from the store no more than they must be.</summary>
public sealed class FunctionTableAliasTests : IDisposable
{
    private readonly PoolsHarness _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Refresh_LoadsAliasesWithTheirVersions_AndASplitLive()
    {
        var v1 = Version(Config());
        var v2 = Version(Config(), version: 2);
        _gateway.Store.Versions = [v2];
        _gateway.Store.Aliases = [Alias(AliasName.Live, (1, 90), (2, 10)), Alias("beta", (2, 100))];

        await _gateway.GoLiveAsync(v1);

        var table = _gateway.Table.Current;
        Assert.Equal([1, 2], table.FindAlias("hello", AliasName.Live)!.Versions.Select(v => v.Version));
        Assert.Equal([90, 10], table.FindAlias("hello", AliasName.Live)!.Weights);
        Assert.Equal(2, Assert.Single(table.FindAlias("hello", "beta")!.Versions).Version);
        Assert.True(table.Reaches("hello", 2));
        Assert.False(table.Reaches("hello", 3));
    }

    [Fact]
    public async Task Refresh_ASplitLiveWithoutTheLiveVersion_IsIgnored()
    {
        // A builder of the previous release rolled live_version to 3 alone; the split it did not know of must not win.
        _gateway.Store.Versions = [Version(Config()), Version(Config(), version: 2)];
        _gateway.Store.Aliases = [Alias(AliasName.Live, (1, 90), (2, 10))];

        await _gateway.GoLiveAsync(Version(Config(), version: 3));

        Assert.Null(_gateway.Table.Current.FindAlias("hello", AliasName.Live));
    }

    [Fact]
    public async Task FindVersionAsync_ReadsAVersionOnce_AndAnUnknownOneAtMostOnceASecond()
    {
        _gateway.Store.Versions = [Version(Config())];
        await _gateway.GoLiveAsync(Version(Config(), version: 2));

        Assert.Equal(1, (await _gateway.Table.FindVersionAsync("hello", 1, CancellationToken.None))?.Version);
        Assert.Equal(1, (await _gateway.Table.FindVersionAsync("hello", 1, CancellationToken.None))?.Version);
        Assert.Equal(2, (await _gateway.Table.FindVersionAsync("hello", 2, CancellationToken.None))?.Version);
        Assert.Equal(1, _gateway.Store.VersionReads);

        for (var i = 0; i < 100; i++)
        {
            Assert.Null(await _gateway.Table.FindVersionAsync("hello", 9, CancellationToken.None));
        }

        Assert.Equal(2, _gateway.Store.VersionReads);
        _gateway.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _gateway.Table.FindVersionAsync("hello", 9, CancellationToken.None));
        Assert.Equal(3, _gateway.Store.VersionReads);

        // A function the table does not have is never read here.
        Assert.Null(await _gateway.Table.FindVersionAsync("other", 1, CancellationToken.None));
        Assert.Equal(3, _gateway.Store.VersionReads);
    }

    [Fact]
    public async Task FindVersionAsync_AfterTheFunctionLeft_ForgetsItsVersions()
    {
        _gateway.Store.Versions = [Version(Config())];
        await _gateway.GoLiveAsync(Version(Config(), version: 2));
        Assert.NotNull(await _gateway.Table.FindVersionAsync("hello", 1, CancellationToken.None));

        _gateway.Store.Versions = [];
        await _gateway.GoLiveAsync();

        Assert.Null(await _gateway.Table.FindVersionAsync("hello", 1, CancellationToken.None));
    }

    private static FunctionAlias Alias(string name, params (int Version, int Weight)[] weights) => new()
    {
        Function = "hello",
        Name = name,
        Weights = weights.ToDictionary(w => w.Version, w => w.Weight),
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
