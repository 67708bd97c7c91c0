using System.Text.Json;
using Docker.DotNet;
using Epsilon.Core.Docker;
using Epsilon.Core.Store;
using Epsilon.Core.Store.Migrations;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Operations;

/// <summary>
/// scripts/backup.sh and scripts/restore.sh as an operator runs them: a platform deploys a function and keeps running
/// while it is backed up; then a second, empty platform (its own state folder or database, its own registry on another
/// port with empty storage, and the function's images gone from the Docker engine, so its gateway must pull from the
/// restored registry) is restored from that backup and answers with the same version. Then the refusals: a restore over
/// a store that is not empty, and a backup of a store a newer release migrated.
/// </summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public Task Sqlite_BackupOfARunningPlatform_RestoredIntoAnEmptyOne_AnswersWithTheSameVersion() =>
        BackupAndRestoreAsync(StoreProvider.Sqlite);

    [Fact]
    public Task Postgres_BackupOfARunningPlatform_RestoredIntoAnEmptyOne_AnswersWithTheSameVersion() =>
        BackupAndRestoreAsync(StoreProvider.Postgres);

    [Fact]
    public async Task TheScripts_ReadThisReleasesSchemaVersion_FromTheMigrations()
    {
        var run = (await ScriptRun.RunAsync("restore.sh", new Dictionary<string, string>(), "--release-schema-version")).Succeeded("restore.sh");
        Assert.Equal(SchemaMigrations.All.Max(m => m.Version).ToString(System.Globalization.CultureInfo.InvariantCulture), run.StandardOutput.Trim());
    }

    /// <summary>The image's manifest and every blob it names are served by the registry at <paramref name="address"/>.</summary>
    private static async Task AssertInRegistryAsync(string address, string repository, string tag)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{address}/v2/{repository}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"the restored registry has no {repository}:{tag}: {(int)response.StatusCode}");
        var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var digests = manifest.GetProperty("layers").EnumerateArray().Append(manifest.GetProperty("config")).Select(b => b.GetProperty("digest").GetString()).ToList();
        Assert.NotEmpty(digests);
        foreach (var digest in digests)
        {
            using var blob = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"blobs/{digest}"));
            Assert.True(blob.IsSuccessStatusCode, $"the restored registry lacks blob {digest} of {repository}:{tag}");
        }
    }

    private static async Task BackupAndRestoreAsync(StoreProvider provider)
    {
        var function = $"backup-{provider.ToString().ToLowerInvariant()}";
        var backups = Directory.CreateTempSubdirectory("epsilon-backups-").FullName;
        using var docker = DockerClientFactory.Create();
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {function}:\n    handler: index.js:handler\n",
            ["index.js"] = Functions.Text("handler", "v1"),
        });
        try
        {
            // A platform with two versions of the function, the second live, running while it is backed up.
            await using var source = await ProcessPlatform.CreateAsync(provider);
            await source.StartServicesAsync();
            await source.DeployOkAsync(repository.Path);
            repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("handler", "v2") }, "v2");
            await source.DeployOkAsync(repository.Path);
            Assert.Equal((200, "v2"), await source.CallAsync(function));

            var backup = Path.Combine(backups, "full");
            var backedUp = (await ScriptRun.RunAsync("backup.sh", source.Environment, backup)).Succeeded("backup.sh");
            var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(backup, "manifest.json"))).RootElement;
            Assert.Equal(SchemaMigrations.All.Max(m => m.Version), manifest.GetProperty("store").GetProperty("schemaVersion").GetInt32());
            Assert.Equal(provider.ToString().ToLowerInvariant(), manifest.GetProperty("store").GetProperty("provider").GetString());
            var described = Assert.Single(manifest.GetProperty("functions").EnumerateArray());
            Assert.Equal(function, described.GetProperty("name").GetString());
            Assert.Equal(2, described.GetProperty("liveVersion").GetInt32());
            Assert.Equal([1, 2], described.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
            Assert.Contains(function, manifest.GetProperty("registry").GetProperty("repositories").EnumerateArray().Select(r => r.GetString()));
            Assert.DoesNotContain(ProcessPlatform.DatabasePassword, backedUp.Output + manifest.GetRawText(), StringComparison.Ordinal);

            // The first platform is gone, and so are its images in the engine.
            await source.StopAsync();
            await ProcessPlatform.RemoveImagesAsync(docker, source.RegistryAddress);

            await using var target = await ProcessPlatform.CreateAsync(provider);
            var restored = (await ScriptRun.RunAsync("restore.sh", target.Environment, backup)).Succeeded("restore.sh");
            Assert.DoesNotContain(ProcessPlatform.DatabasePassword, restored.Output, StringComparison.Ordinal);
            await target.StartServicesAsync();
            Assert.Equal((200, "v2"), await target.CallAsync(function));
            // Pulled from the restored registry at the new platform's address: the store's references were rewritten.
            Assert.NotNull(await docker.Images.InspectImageAsync($"{target.RegistryAddress}/{function}:v2"));
            await AssertInRegistryAsync(target.RegistryAddress, function, "v1");
            // The restored platform carries on: the next deploy is version 3, pushed to its registry.
            repository.Commit(new Dictionary<string, string> { ["index.js"] = Functions.Text("handler", "v3") }, "v3");
            var deployed = await target.DeployOkAsync(repository.Path);
            Assert.Equal(3, deployed.GetProperty("functions")[0].GetProperty("version").GetInt32());
            Assert.Equal((200, "v3"), await target.CallAsync(function));

            // Refused: restoring over a store that is not empty.
            var again = await ScriptRun.RunAsync("restore.sh", target.Environment, backup);
            Assert.True(again.ExitCode != 0, "a restore over a store with functions succeeded:\n" + again.Output);
            Assert.Contains("is not empty", again.StandardError, StringComparison.Ordinal);
            Assert.Equal((200, "v3"), await target.CallAsync(function));

            // Refused: a backup of a store that a newer release has migrated (one step this release does not know).
            var newer = SchemaMigrations.All.Max(m => m.Version) + 1;
            await target.ExecuteOnStoreAsync(
                $"INSERT INTO {SchemaMigrations.HistoryTable} (version, name, applied_at) VALUES ({newer}, 'from a newer release', '2030-01-01T00:00:00Z')");
            var newerBackup = Path.Combine(backups, "newer");
            (await ScriptRun.RunAsync("backup.sh", target.Environment, "--no-registry", newerBackup)).Succeeded("backup.sh of the newer store");
            await using var empty = await ProcessPlatform.CreateAsync(provider);
            var refused = await ScriptRun.RunAsync("restore.sh", empty.Environment, newerBackup);
            Assert.True(refused.ExitCode != 0, "a backup with a newer schema was restored:\n" + refused.Output);
            Assert.Contains($"schema version {newer} is newer than this release's", refused.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(backups, recursive: true);
        }
    }
}
