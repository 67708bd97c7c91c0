using System.Net;
using System.Text.Json;

namespace Epsilon.Core.Docker;

/// <summary>
/// A client of the machine's daemon (started by scripts/setup.sh, with the registry on 127.0.0.1:5000 and the
/// base image). Everything the tests create is labelled <c>epsilon.test=true</c> plus this run's id and removed
/// on dispose, together with labelled leftovers of runs that were killed before cleaning up.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string TestLabel = "epsilon.test";
    public const string RunLabel = "epsilon.test.run";
    public const string BaseImage = "epsilon/debian:bookworm";
    public const string Registry = "127.0.0.1:5000";

    // Older labelled resources are leftovers; younger ones may belong to a suite running beside this one.
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(30);

    private readonly DockerClient _client = new(new DockerClientOptions());
    private readonly List<string> _registryRepositories = [];

    public IDockerClient Client => _client;

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The labels every test resource carries.</summary>
    public Dictionary<string, string> NewLabels() => new() { [TestLabel] = "true", [RunLabel] = RunId };

    /// <summary>A unique resource name.</summary>
    public static string NewName(string purpose) => $"epsilon-test-{purpose}-{Guid.NewGuid():N}";

    /// <summary>Creates a labelled container of the base image running <c>sh -c <paramref name="script"/></c>.</summary>
    public async Task<string> CreateContainerAsync(string script, Action<CreateContainerParameters>? configure = null)
    {
        var parameters = new CreateContainerParameters
        {
            Name = NewName("container"),
            Image = BaseImage,
            Cmd = ["sh", "-c", script],
            Labels = NewLabels(),
        };
        configure?.Invoke(parameters);
        var response = await Client.Containers.CreateContainerAsync(parameters);
        return response.ID;
    }

    /// <summary>Remembers a repository pushed to the local registry, deleted from it on dispose.</summary>
    public void TrackRegistryRepository(string repository, string tag)
    {
        lock (_registryRepositories)
        {
            _registryRepositories.Add($"{repository}:{tag}");
        }
    }

    public async Task InitializeAsync()
    {
        await Client.System.PingAsync();
        try
        {
            await Client.Images.InspectImageAsync(BaseImage);
        }
        catch (DockerImageNotFoundException exception)
        {
            throw new InvalidOperationException($"The base image {BaseImage} is missing: run scripts/setup.sh.", exception);
        }
    }

    public async Task DisposeAsync()
    {
        var cutoff = DateTimeOffset.UtcNow - LeftoverAge;
        foreach (var container in await ListLabelledAsync("containers/json?all=true"))
        {
            if (IsOurs(container, cutoff))
            {
                await IgnoreNotFound(Client.Containers.RemoveContainerAsync(container.GetProperty("Id").GetString()!, new() { Force = true, RemoveVolumes = true }));
            }
        }

        foreach (var network in await ListLabelledAsync("networks"))
        {
            if (IsOurs(network, cutoff))
            {
                await IgnoreNotFound(Client.Networks.DeleteNetworkAsync(network.GetProperty("Id").GetString()!));
            }
        }

        foreach (var image in await ListLabelledAsync("images/json"))
        {
            if (IsOurs(image, cutoff))
            {
                await IgnoreNotFound(Client.Images.DeleteImageAsync(image.GetProperty("Id").GetString()!, force: true));
            }
        }

        await DeleteFromRegistryAsync();
        _client.Dispose();
    }

    private bool IsOurs(JsonElement resource, DateTimeOffset cutoff)
    {
        if (resource.TryGetProperty("Labels", out var labels)
            && labels.ValueKind == JsonValueKind.Object
            && labels.TryGetProperty(RunLabel, out var run)
            && run.GetString() == RunId)
        {
            return true;
        }

        var created = resource.GetProperty("Created");
        var createdAt = created.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeSeconds(created.GetInt64())
            : created.GetDateTimeOffset();
        return createdAt < cutoff;
    }

    private async Task<List<JsonElement>> ListLabelledAsync(string pathAndQuery)
    {
        var filters = JsonSerializer.Serialize(new Dictionary<string, List<string>> { ["label"] = [$"{TestLabel}=true"] }, DockerJsonContext.Default.DictionaryStringListString);
        var separator = pathAndQuery.Contains('?') ? "&" : "?";
        var (_, body) = await _client.Transport.SendAsync(
            HttpMethod.Get, $"{pathAndQuery}{separator}filters={Uri.EscapeDataString(filters)}", null, null, DockerErrors.Default, CancellationToken.None);
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.EnumerateArray().Select(element => element.Clone())];
    }

    private async Task DeleteFromRegistryAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{Registry}/v2/") };
        foreach (var repositoryAndTag in _registryRepositories)
        {
            var separator = repositoryAndTag.LastIndexOf(':');
            var repository = repositoryAndTag[..separator][(Registry.Length + 1)..];
            var tag = repositoryAndTag[(separator + 1)..];
            using var head = new HttpRequestMessage(HttpMethod.Head, $"{repository}/manifests/{tag}");
            head.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
            using var manifest = await http.SendAsync(head);
            if (manifest.StatusCode == HttpStatusCode.OK && manifest.Headers.TryGetValues("Docker-Content-Digest", out var digests))
            {
                using var _ = await http.DeleteAsync($"{repository}/manifests/{digests.First()}");
            }
        }
    }

    private static async Task IgnoreNotFound(Task task)
    {
        try
        {
            await task;
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            // Removed meanwhile (AutoRemove, or the test did it).
        }
    }
}
