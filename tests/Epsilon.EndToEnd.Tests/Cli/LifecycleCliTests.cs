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

    [Fact]
    public async Task Alias_SetLsRm_AndInvokeOfAnAlias_WorkAgainstThePlatform()
    {
        using var cli = new EpsilonCli();
        (await cli.RunAsync("login", "--url", platform.Builder.BaseAddress!.ToString().TrimEnd('/'))).Expect(0);
        var name = "cli-alias-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "one"),
        });
        (await cli.RunAsync("deploy", repository.Path, "--quiet")).Expect(0);
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("handler", "two") }, "two");
        (await cli.RunAsync("deploy", repository.Path, "--quiet")).Expect(0);

        var beta = (await cli.RunAsync("alias", "set", name, "beta", "1", "--json")).Expect(0).Json();
        Assert.Equal(("beta", 100), (beta.GetProperty("alias").GetString(), beta.GetProperty("weights").GetProperty("1").GetInt32()));
        Assert.EndsWith($"/{name}@beta/", beta.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.True(beta.GetProperty("rollout").GetProperty("complete").GetBoolean());
        var split = (await cli.RunAsync("alias", "set", name, "live", "--weights", "1=90,2=10")).Expect(0);
        Assert.Contains($"{name}@live: v1 90%, v2 10%", split.Output, StringComparison.Ordinal);

        var listed = (await cli.RunAsync("alias", "ls", name, "--json")).Expect(0).Json();
        Assert.Equal(["live", "beta"], listed.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(10, listed[0].GetProperty("weights").GetProperty("2").GetInt32());
        Assert.Matches(@"beta\s.*v1", (await cli.RunAsync("alias", "ls", name)).Expect(0).Output);
        Assert.Contains("v1 90%, v2 10%", (await cli.RunAsync("info", name)).Expect(0).Output, StringComparison.Ordinal);

        Assert.Equal("one", (await cli.RunAsync("invoke", $"{name}@beta")).Expect(0).Output.Trim());
        Assert.Equal("two", (await cli.RunAsync("invoke", $"{name}@v2")).Expect(0).Output.Trim());

        var removed = (await cli.RunAsync("alias", "rm", name, "beta", "--json")).Expect(0).Json();
        Assert.Equal("beta", removed.GetProperty("alias").GetString());
        Assert.Equal(["live"], (await cli.RunAsync("alias", "ls", name, "--json")).Expect(0).Json().EnumerateArray().Select(a => a.GetProperty("name").GetString()));

        // Refusals exit non-zero with the builder's message; usage errors exit 2.
        Assert.Contains("sum to 100", (await cli.RunAsync("alias", "set", name, "live", "--weights", "1=50,2=40")).Expect(1).Error, StringComparison.Ordinal);
        Assert.Contains("cannot be removed", (await cli.RunAsync("alias", "rm", name, "live")).Expect(1).Error, StringComparison.Ordinal);
        (await cli.RunAsync("alias", "set", name, "beta", "--weights", "one=100")).Expect(2);
        (await cli.RunAsync("alias", "set", name, "beta")).Expect(2);
        (await cli.RunAsync("alias", "ls", "no-such-function")).Expect(5);
    }
}
