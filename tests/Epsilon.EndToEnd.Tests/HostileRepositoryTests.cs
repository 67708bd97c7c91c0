using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using Epsilon.Builder;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests;

/// <summary>
/// Repositories written to hurt the builder: each fails its own deploy with a message naming the limit it broke, and
/// leaves nothing behind. Manifests and links go to the platform's builder (its defaults are what is tested); builds
/// that run too long, use too much memory or print megabytes go to a builder of this class's own, with small limits.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HostileRepositoryTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string CheckCommand = "node /opt/epsilon/runtime/check.js";
    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-e2e-hostile-").FullName;
    private WebApplication? _limited;
    private HttpClient _limitedClient = null!;

    public async Task InitializeAsync()
    {
        _limited = BuilderApplication.Build(
        [
            .. platform.BuilderArguments(Path.Combine(_root, "epsilon.db"), Path.Combine(_root, "builds")),
            "--Epsilon:Builder:BuildImageTimeout=00:00:30",
            "--Epsilon:Builder:BuildMemoryBytes=134217728",
            "--Epsilon:Builder:BuildLogHeadCharacters=8192",
            "--Epsilon:Builder:BuildLogTailCharacters=8192",
        ]);
        await _limited.StartAsync();
        _limitedClient = TestAdmin.Authorize(new HttpClient { BaseAddress = new Uri(_limited.Urls.First()), Timeout = TimeSpan.FromMinutes(5) });
    }

    public static TheoryData<string, string, string> HostileManifests => new()
    {
        { "30,000 nested brackets", new string('[', 30_000) + new string(']', 30_000), "(nesting)" },
        { "200,000 nested brackets (400 KB)", new string('[', 200_000) + new string(']', 200_000), "(size)" },
        {
            "a billion laughs",
            new StringBuilder("runtime: node\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
                .AppendJoin("", Enumerable.Range(1, 8).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n"))
                .Append("functions: {laughs: {handler: 'index.js:laughs', env: {LOL: *a8}}}\n").ToString(),
            "(aliases)"
        },
    };

    [Theory]
    [MemberData(nameof(HostileManifests))]
    public async Task A_hostile_manifest_fails_its_deploy_naming_the_limit_and_the_builder_lives_on(string _, string manifest, string limit)
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = manifest,
            ["index.js"] = Functions.Text("laughs", "x"),
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("ManifestInvalid", error.GetProperty("code").GetString());
        Assert.StartsWith("epsilon.yaml is invalid: ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(limit, Assert.Single(error.GetProperty("details").EnumerateArray()).GetProperty("key").GetString());
        using var health = await platform.Builder.GetAsync("/_epsilon/health");
        Assert.True(health.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_handler_that_links_out_of_the_repository_does_not_exist()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  peek:\n    handler: passwd.js:peek\n",
        });
        File.CreateSymbolicLink(Path.Combine(repository.Path, "passwd.js"), "/etc/passwd");
        repository.Commit(new Dictionary<string, string>(), "link to /etc/passwd");

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var problem = Assert.Single(body.GetProperty("error").GetProperty("details").EnumerateArray());
        Assert.Equal("functions.peek.handler", problem.GetProperty("key").GetString());
        Assert.Equal("file 'passwd.js' does not exist in the repository", problem.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_build_past_its_time_limit_fails_naming_it_and_leaves_no_build_container()
    {
        var (status, body) = await DeployLimitedAsync("hostile-slow", "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600000);");

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("BuildFailed", error.GetProperty("code").GetString());
        Assert.Equal("function 'hostile-slow': the image build took longer than 30 s, the most a build may (Epsilon:Builder:BuildImageTimeout); it was cancelled",
            error.GetProperty("message").GetString());
        await AssertNoBuildContainerAsync();
        await AssertNameFreedAsync("hostile-slow");
    }

    [Fact]
    public async Task A_build_past_its_memory_limit_fails_naming_it()
    {
        var (status, body) = await DeployLimitedAsync("hostile-hungry", "const held = []; for (;;) { held.push(Buffer.alloc(1 << 20, 1)); }");

        Assert.Equal(422, status);
        var message = body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("a build step was killed, most likely for using more than the build's 128 MiB of memory (Epsilon:Builder:BuildMemoryBytes)", message);
        await AssertNoBuildContainerAsync();
        await AssertNameFreedAsync("hostile-hungry");
    }

    [Fact]
    public async Task A_build_that_prints_megabytes_keeps_a_bounded_log_saying_what_was_cut()
    {
        var (status, body) = await DeployLimitedAsync("hostile-chatty",
            // Written synchronously: console.log to a pipe may still be buffered when the load check exits.
            "for (let i = 0; i < 40000; i++) { require('fs').writeSync(1, 'chatty line ' + i + ' ' + 'x'.repeat(100) + '\\n'); }");

        Assert.True(status == 201, $"deploy answered {status}: {body}");
        var deployment = await _limitedClient.GetFromJsonAsync<JsonElement>($"/deployments/{body.GetProperty("deploymentId").GetString()}");
        var log = deployment.GetProperty("log").GetString()!;
        Assert.InRange(log.Length, 8192, 2 * 8192 + 200);
        var cut = log.Split('\n').SingleOrDefault(l => l.Contains("characters of build output cut here", StringComparison.Ordinal));
        Assert.True(cut is not null, "no line says what was cut:\n" + log);
        Assert.Matches(@"^\[\.\.\. [0-9]{7,} characters of build output cut here: the log keeps the first 8192 and the last 8192 \.\.\.\]$", cut);
        Assert.StartsWith("fetching ", log, StringComparison.Ordinal);
        Assert.Contains("pushed ", log[^8192..], StringComparison.Ordinal);
        var followed = await _limitedClient.GetStringAsync($"/deployments/{body.GetProperty("deploymentId").GetString()}/log?follow=true");
        Assert.Equal(log, followed);
    }

    public async Task DisposeAsync()
    {
        _limitedClient.Dispose();
        if (_limited is not null)
        {
            await _limited.StopAsync();
            await _limited.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Deploys to the limited builder a function whose file runs <paramref name="topLevel"/> when loaded, as the build's load check does.</summary>
    private async Task<(int Status, JsonElement Body)> DeployLimitedAsync(string function, string topLevel)
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {function}:\n    handler: index.js:{function.Replace('-', '_')}\n",
            // A new file each run, so the daemon's layer cache never answers for the step that runs it.
            ["index.js"] = $"// run {Guid.NewGuid():N}\n{topLevel}\n{Functions.Text(function.Replace('-', '_'), "survived")}",
        });
        using var response = await _limitedClient.PostAsJsonAsync("/deployments", new { repository = repository.Path });
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>No step of a build is left running or stopped: the load check's container is the one a cancelled build would leave.</summary>
    private async Task AssertNoBuildContainerAsync()
    {
        IList<ContainerListResponse> left = [];
        for (var i = 0; i < 40; i++)
        {
            left = [.. (await platform.Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true }))
                .Where(c => c.Command.Contains(CheckCommand, StringComparison.Ordinal))];
            if (left.Count == 0)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"build containers left behind: {string.Join(", ", left.Select(c => $"{c.ID[..12]} {c.State}"))}");
    }

    /// <summary>The failed first deploy freed the function's name: no version of it was kept.</summary>
    private async Task AssertNameFreedAsync(string function)
    {
        using var response = await _limitedClient.GetAsync($"/functions/{function}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
