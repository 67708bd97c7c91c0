using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Builder;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.Gateway;
using Epsilon.Gateway.Containers;
using Microsoft.Extensions.DependencyInjection;

namespace Epsilon.EndToEnd.Tests.Lifecycle;

/// <summary>
/// Garbage collection on the real platform: versions nothing keeps leave the registry and this host's images, and can no
/// longer be made live; what is kept, aliased or used by a container stays.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GarbageTests(PlatformFixture platform) : IDisposable
{
    private static readonly HttpClient s_registry = new() { BaseAddress = new Uri("http://127.0.0.1:5000"), Timeout = TimeSpan.FromSeconds(30) };

    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-garbage-").FullName;

    [Fact]
    public async Task Collect_RemovesUnreachableVersionsImages_FromTheRegistryAndTheHost_AndRefusesToMakeThemLive()
    {
        var name = "gc-" + Guid.NewGuid().ToString("N")[..6];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {name}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "v1"),
        });
        await platform.DeployOkAsync(repository.Path);
        for (var version = 2; version <= 6; version++)
        {
            repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("handler", $"v{version}") }, $"v{version}");
            await platform.DeployOkAsync(repository.Path);
        }

        Assert.Equal("v6", await platform.Gateway.GetStringAsync($"/{name}/"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(platform.Builder, HttpMethod.Put, $"/functions/{name}/aliases/old", """{"version": 1}""")).Status);
        // A container (made here, never started) that uses v3's image: the host keeps that image whatever the store says.
        // No gateway label, which fixtures sweep by: this test removes it.
        var holder = await platform.Docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = Image(name, 3),
            Labels = new Dictionary<string, string> { ["epsilon.test"] = "garbage-" + name },
        });

        // Kept by a builder keeping the newest 2 and a rollback window of 1: v6 (live), v5, and v1 (alias 'old').
        var builder = BuilderApplication.Build([
            .. platform.BuilderArguments(platform.StorePath, Path.Combine(_root, "builds")),
            "--Epsilon:Builder:KeepVersions=2", "--Epsilon:Builder:RollbackWindow=1", "--Epsilon:Builder:CollectInterval=00:00:00",
        ]);
        var gateway = GatewayApplication.Build([.. platform.GatewayArguments("e2e-garbage-" + name, removeOnStop: true), "--Epsilon:Gateway:ImageCollectInterval=00:00:00"]);
        try
        {
            await builder.StartAsync();
            await gateway.StartAsync();
            using var admin = TestAdmin.Authorize(new HttpClient { BaseAddress = new Uri(builder.Urls.First()), Timeout = TimeSpan.FromMinutes(2) });

            var (status, report) = await SendAsync(admin, HttpMethod.Post, $"/maintenance/collect?function={name}", null);

            Assert.True(status == HttpStatusCode.OK, report.ToString());
            Assert.Equal([2, 3, 4], report.GetProperty("collected").GetProperty(name).EnumerateArray().Select(v => v.GetInt32()));
            Assert.Equal([Image(name, 2), Image(name, 3), Image(name, 4)], report.GetProperty("removedImages").EnumerateArray().Select(i => i.GetString()!));
            Assert.Empty(report.GetProperty("imageErrors").EnumerateArray());
            foreach (var version in new[] { 2, 3, 4 })
            {
                Assert.Equal(HttpStatusCode.NotFound, await ManifestStatusAsync(name, version));
            }

            foreach (var version in new[] { 1, 5, 6 })
            {
                Assert.Equal(HttpStatusCode.OK, await ManifestStatusAsync(name, version));
            }

            var versions = await admin.GetFromJsonAsync<JsonElement>($"/functions/{name}/versions");
            Assert.Equal([false, false, true, true, true, false],
                versions.EnumerateArray().Select(v => v.TryGetProperty("imageRemovedAt", out var at) && at.ValueKind == JsonValueKind.String));

            ApiErrors.AssertError(await SendAsync(platform.Builder, HttpMethod.Post, $"/functions/{name}/rollback", """{"version": 3}"""),
                HttpStatusCode.Conflict, "ImageCollected", "garbage collector", "version");
            ApiErrors.AssertError(await SendAsync(platform.Builder, HttpMethod.Put, $"/functions/{name}/aliases/old", """{"version": 2}"""),
                HttpStatusCode.Conflict, "ImageCollected", "garbage collector", "version");
            Assert.Equal("v6", await platform.Gateway.GetStringAsync($"/{name}/"));

            // This host: the collected versions' tags go, except v3's, which a container uses; the kept ones stay.
            var removed = await gateway.Services.GetRequiredService<LocalImageCollector>().CollectAsync(CancellationToken.None);
            Assert.Equal([Image(name, 2), Image(name, 4)], removed.Where(t => t.Contains($"/{name}:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            var local = await Task.WhenAll(Enumerable.Range(1, 6).Select(v => HasLocalImageAsync(name, v)));
            Assert.Equal([true, false, true, false, true, true], local);

            var back = await SendAsync(platform.Builder, HttpMethod.Post, $"/functions/{name}/rollback", """{"version": 5}""");
            Assert.True(back.Status == HttpStatusCode.OK, back.Body.ToString());
            Assert.Equal("v5", await platform.Gateway.GetStringAsync($"/{name}/"));
        }
        finally
        {
            try
            {
                await platform.Docker.Containers.RemoveContainerAsync(holder.ID, new ContainerRemoveParameters { Force = true });
            }
            catch (DockerContainerNotFoundException)
            {
            }
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            await builder.StopAsync();
            await builder.DisposeAsync();
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Image(string function, int version) => $"127.0.0.1:5000/{function}:v{version}";

    private static async Task<HttpStatusCode> ManifestStatusAsync(string function, int version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{function}/manifests/v{version}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var response = await s_registry.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<bool> HasLocalImageAsync(string function, int version)
    {
        try
        {
            await platform.Docker.Images.InspectImageAsync(Image(function, version));
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
