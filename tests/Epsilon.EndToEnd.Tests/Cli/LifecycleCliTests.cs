using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Cli;

/// <summary><c>epsilon versions</c>, <c>rollback</c>, <c>rm</c> and <c>deploy --force</c> against the running platform, their <c>--json</c> parsed.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LifecycleCliTests(PlatformFixture platform)
{
    [Fact]
    public async Task Versions_Rollback_DeployForce_Rm_WorkAgainstThePlatform()
    {
        using var cli = new EpsilonCli();
        (await cli.RunAsync("login", "--url", platform.Builder.BaseAddress!.ToString().TrimEnd('/'))).Expect(0);
        var name = "cli-life-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "one"),
        });
        (await cli.RunAsync("deploy", repository.Path, "--quiet")).Expect(0);
        var unchanged = (await cli.RunAsync("deploy", repository.Path, "--quiet")).Expect(0);
        Assert.Contains("1 (unchanged)", unchanged.Output, StringComparison.Ordinal);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("handler", "two") }, "two");
        (await cli.RunAsync("deploy", repository.Path, "--quiet")).Expect(0);
        var forced = (await cli.RunAsync("deploy", repository.Path, "--quiet", "--force", "--json")).Expect(0).Json();
        Assert.Equal(3, forced.GetProperty("functions")[0].GetProperty("version").GetInt32());

        var versions = (await cli.RunAsync("versions", name, "--json")).Expect(0).Json();
        Assert.Equal([3, 2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Matches(@"3\s.*ready\s.*\*", (await cli.RunAsync("versions", name)).Expect(0).Output);

        var back = (await cli.RunAsync("rollback", name, "--to", "1", "--json")).Expect(0).Json();
        Assert.Equal((1, 3), (back.GetProperty("version").GetInt32(), back.GetProperty("previousVersion").GetInt32()));
        Assert.Equal("one", await platform.Gateway.GetStringAsync($"/{name}/"));
        var forward = (await cli.RunAsync("rollback", name, "--to", "2")).Expect(0);
        Assert.Contains($"{name}: v2 is live (was v1)", forward.Output, StringComparison.Ordinal);
        Assert.Equal("two", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.Contains("already live", (await cli.RunAsync("rollback", name, "--to", "2")).Expect(1).Error, StringComparison.Ordinal);
        Assert.Contains("no version 7", (await cli.RunAsync("rollback", name, "--to", "7")).Expect(5).Error, StringComparison.Ordinal);
        (await cli.RunAsync("rollback", name, "--to", "0")).Expect(2);
        (await cli.RunAsync("rollback", "no-such-function")).Expect(5);

        // rm refuses without --yes where nobody can answer, then deletes.
        Assert.Contains("--yes", (await cli.RunAsync("rm", name)).Expect(2).Error, StringComparison.Ordinal);
        Assert.Equal("two", await platform.Gateway.GetStringAsync($"/{name}/"));
        var removed = (await cli.RunAsync("rm", name, "--yes", "--json")).Expect(0).Json();
        Assert.Equal(3, removed.GetProperty("deletedImages").GetArrayLength());
        (await cli.RunAsync("info", name)).Expect(5);
        (await cli.RunAsync("rm", name, "--yes")).Expect(5);
        var history = (await cli.RunAsync("versions", name, "--deleted", "--json")).Expect(0).Json();
        Assert.Equal(3, history.GetArrayLength());
    }
}
