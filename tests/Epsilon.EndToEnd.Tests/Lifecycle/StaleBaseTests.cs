using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.Builder;
using Epsilon.EndToEnd.Tests.Cli;
using Epsilon.EndToEnd.Tests.Fleet;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Lifecycle;

/// <summary>
/// A runtime's base image rebuilt (as a Debian security update rebuilds it): the live versions built on the old one are
/// listed stale, and one rebuild makes new versions on the new base live with no failed call. The base is a tag of this
/// class's own, given to a builder of its own on the platform's store and gateway, so the shared
/// <c>epsilon/runtime-node:latest</c> other tests build on never changes.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class StaleBaseTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Marker = "/etc/epsilon-e2e-base";
    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-e2e-stale-").FullName;
    private readonly string _base = "epsilon-e2e/runtime-node-base:" + Guid.NewGuid().ToString("N")[..8];
    private WebApplication? _builder;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await FleetFixture.DockerAsync(["tag", "epsilon/runtime-node:latest", _base]);
        _builder = BuilderApplication.Build(
        [
            .. platform.BuilderArguments(platform.StorePath, Path.Combine(_root, "builds")),
            $"--Epsilon:Builder:BaseImages:node={_base}",
        ]);
        await _builder.StartAsync();
        _client = TestAdmin.Authorize(new HttpClient { BaseAddress = new Uri(_builder.Urls.First()), Timeout = TimeSpan.FromMinutes(5) });
    }

    [Fact]
    public async Task A_rebuilt_base_lists_the_live_version_stale_and_one_rebuild_moves_it_onto_the_new_base_under_load_with_no_failed_call()
    {
        var name = "stale-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Source("one"),
        });
        using (var deployed = await _client.PostAsJsonAsync("/deployments", new { repository = repository.Path }))
        {
            Assert.True(deployed.StatusCode == HttpStatusCode.Created, await deployed.Content.ReadAsStringAsync());
        }

        // A commit after the live one: a rebuild builds the live version's commit again, not the branch's newest.
        repository.Commit(new Dictionary<string, string> { ["index.js"] = Source("two") }, "two");
        Assert.Equal("one none", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.Null(await StaleAsync(name));

        var context = Directory.CreateDirectory(Path.Combine(_root, "base")).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {_base}\nRUN echo rebuilt > {Marker} && chmod 644 {Marker}\n");
        await FleetFixture.DockerAsync(["build", "-q", "-t", _base, context]);

        var stale = await StaleAsync(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not listed stale after its base was rebuilt");
        Assert.Equal(1, stale.GetProperty("version").GetInt32());
        Assert.Equal("node", stale.GetProperty("runtime").GetString());
        Assert.Equal("live", Assert.Single(stale.GetProperty("serves").EnumerateArray()).GetString());
        Assert.Equal("base", Assert.Single(stale.GetProperty("changed").EnumerateArray()).GetString());
        var builtOn = stale.GetProperty("builtOn").GetProperty("baseImage").GetString();
        var current = stale.GetProperty("current").GetProperty("baseImage").GetString();
        Assert.NotEqual(builtOn, current);
        Assert.Equal(current, (await platform.Docker.Images.InspectImageAsync(_base)).ID);

        using var cli = new EpsilonCli();
        var url = _builder!.Urls.First();
        var listed = (await cli.RunAsync("stale", "--url", url, "--json")).Expect(0).Json();
        Assert.Contains(listed.EnumerateArray(), v => v.GetProperty("function").GetString() == name);
        using (var neither = await _client.PostAsync("/functions/rebuild", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        }

        var rebuilt = 0;
        await using (var load = new SteadyLoad(platform.Gateway, [$"/{name}/"], workers: 4, TimeSpan.FromMilliseconds(5), _ =>
        {
            var after = Volatile.Read(ref rebuilt) == 1;
            return body => body == "one rebuilt" || (!after && body == "one none");
        }))
        {
            await load.WaitForAsync(50, TimeSpan.FromSeconds(60));
            var answer = (await cli.RunAsync("rebuild", name, "--url", url, "--json")).Expect(0).Json();
            Volatile.Write(ref rebuilt, 1);
            await load.WaitForAsync(200, TimeSpan.FromSeconds(60));

            Assert.Equal(0, answer.GetProperty("failed").GetInt32());
            var rebuild = Assert.Single(answer.GetProperty("rebuilds").EnumerateArray());
            Assert.Equal("ready", rebuild.GetProperty("status").GetString());
            Assert.True(rebuild.GetProperty("rollout").GetProperty("complete").GetBoolean());
            var version = Assert.Single(rebuild.GetProperty("versions").EnumerateArray());
            Assert.Equal((name, 2), (version.GetProperty("name").GetString(), version.GetProperty("version").GetInt32()));
            Assert.True(load.Failures.Count == 0,
                $"{load.Failures.Count} failed call(s) of {load.Succeeded + load.Failures.Count}: {string.Join("\n", load.Failures.Take(10))}");
        }

        Assert.Equal("one rebuilt", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.Null(await StaleAsync(name));
        var listedAfter = (await cli.RunAsync("stale", "--url", url, "--json")).Expect(0).Json();
        Assert.DoesNotContain(listedAfter.EnumerateArray(), v => v.GetProperty("function").GetString() == name);
    }

    /// <summary>Answers its text and the marker file the test's rebuilt base holds (<c>none</c> before).</summary>
    private static string Source(string text) => $$"""
        const fs = require('fs');
        module.exports.handler = {
          definition: async (req, res) => {
            const base = fs.existsSync('{{Marker}}') ? fs.readFileSync('{{Marker}}', 'utf8').trim() : 'none';
            res.type('text/plain').send('{{text}} ' + base);
          },
        };
        """;

    private async Task<JsonElement?> StaleAsync(string name) =>
        (await _client.GetFromJsonAsync<JsonElement>("/functions/stale")).EnumerateArray()
            .Select(v => (JsonElement?)v).FirstOrDefault(v => v!.Value.GetProperty("function").GetString() == name);

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_builder is not null)
        {
            await _builder.StopAsync();
            await _builder.DisposeAsync();
        }

        // Only the test's tag: the original base keeps its epsilon/runtime-node tags, and function images their own.
        await FleetFixture.DockerAsync(["rmi", "-f", _base]);
        Directory.Delete(_root, recursive: true);
    }
}
