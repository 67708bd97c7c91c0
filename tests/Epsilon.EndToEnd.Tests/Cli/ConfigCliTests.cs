using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Cli;

/// <summary><c>epsilon env ls|set|unset</c> and <c>epsilon secret ls|set|rm</c> against the running platform, their <c>--json</c> parsed.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ConfigCliTests(PlatformFixture platform)
{
    [Fact]
    public async Task EnvAndSecretVerbs_WorkAgainstThePlatform_WithDocumentedExitCodes()
    {
        using var cli = new EpsilonCli();
        (await cli.RunAsync("login", "--url", platform.Builder.BaseAddress!.ToString().TrimEnd('/'))).Expect(0);
        var name = "cli-cfg-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:env\n    env:\n      FROM_MANIFEST: m\n",
            ["index.js"] = Functions.Env,
        });
        (await cli.RunAsync("deploy", repository.Path, "--quiet")).Expect(0);

        var set = (await cli.RunAsync("env", "set", name, "GREETING=hi=there", "OTHER=1", "--json")).Expect(0).Json();
        Assert.Equal((2, "env set GREETING, OTHER"), (set.GetProperty("version").GetInt32(), set.GetProperty("change").GetString()));
        Assert.Contains($"{name}: v3 is live (env unset OTHER", (await cli.RunAsync("env", "unset", name, "OTHER")).Expect(0).Output, StringComparison.Ordinal);
        var env = (await cli.RunAsync("env", "ls", name, "--json")).Expect(0).Json();
        Assert.Equal([("FROM_MANIFEST", "m"), ("GREETING", "hi=there")],
            env.GetProperty("env").EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        Assert.Matches(@"GREETING\s.*hi=there\s.*env set", (await cli.RunAsync("env", "ls", name)).Expect(0).Output);
        Assert.Equal("hi=there", (await CallAsync(name)).GetProperty("GREETING").GetString());

        var value = "cli-secret-" + Guid.NewGuid().ToString("N");
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, value + "\n");
            var secret = (await cli.RunAsync("secret", "set", name, "API_TOKEN", "--value-file", file, "--json")).Expect(0);
            Assert.Equal("secret set API_TOKEN", secret.Json().GetProperty("change").GetString());
            Assert.DoesNotContain(value, secret.Output + secret.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(value, (await CallAsync(name)).GetProperty("API_TOKEN").GetString());
        var secrets = (await cli.RunAsync("secret", "ls", name, "--json")).Expect(0);
        Assert.Equal(["API_TOKEN"], secrets.Json().EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.DoesNotContain(value, secrets.Output, StringComparison.Ordinal);
        Assert.Contains("API_TOKEN", (await cli.RunAsync("secret", "ls", name)).Expect(0).Output, StringComparison.Ordinal);
        var envWithSecret = (await cli.RunAsync("env", "ls", name)).Expect(0).Output;
        Assert.DoesNotContain(value, envWithSecret, StringComparison.Ordinal);
        Assert.Contains("(secret)", envWithSecret, StringComparison.Ordinal);

        var removed = (await cli.RunAsync("secret", "rm", name, "API_TOKEN", "--json")).Expect(0).Json();
        Assert.Equal("secret removed API_TOKEN", removed.GetProperty("change").GetString());
        Assert.False((await CallAsync(name)).TryGetProperty("API_TOKEN", out _));

        // Exit codes: an empty standard input is no value (2), bad input the builder names (1), what does not exist (5).
        (await cli.RunAsync("secret", "set", name, "API_TOKEN")).Expect(2);
        (await cli.RunAsync("env", "set", name, "NOEQUALS")).Expect(2);
        Assert.Contains("reserved", (await cli.RunAsync("env", "set", name, "EPSILON_X=1")).Expect(1).Error, StringComparison.Ordinal);
        (await cli.RunAsync("secret", "rm", name, "API_TOKEN")).Expect(5);
        (await cli.RunAsync("env", "ls", "no-such-function")).Expect(5);
        (await cli.RunAsync("secret", "ls", "no-such-function", "--json")).Expect(5);
    }

    private async Task<JsonElement> CallAsync(string function) =>
        JsonDocument.Parse(await platform.Gateway.GetStringAsync($"/{function}/")).RootElement.Clone();
}
