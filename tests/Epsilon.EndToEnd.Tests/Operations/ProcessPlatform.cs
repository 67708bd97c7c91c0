using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Core.Docker;
using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Fleet;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Epsilon.EndToEnd.Tests.Operations;

/// <summary>
/// A whole platform of its own, laid out as scripts/up.sh lays out one VM: a state folder, a store (a SQLite file in
/// it, or a fresh PostgreSQL database on the test server), a Distribution registry on its own port with its storage in
/// the state folder, and, once started, the gateway and the builder as processes configured through their environment.
/// Disposing it stops them, removes its function containers and the images tagged with its registry's address, and
/// deletes its database and folder.
/// </summary>
internal sealed class ProcessPlatform : IAsyncDisposable
{
    /// <summary>In the connection string though the test server trusts loopback: the scripts must never print it.</summary>
    public const string DatabasePassword = "backup-test-Pa55word";

    private readonly PostgresStoreDatabase? _database;
    private readonly Dictionary<string, string> _environment;
    private ServiceProcess? _registry;
    private ServiceProcess? _gateway;
    private ServiceProcess? _builder;

    private ProcessPlatform(StoreProvider provider, IReadOnlyDictionary<string, string>? settings)
    {
        Provider = provider;
        Root = Directory.CreateTempSubdirectory("epsilon-backup-").FullName;
        GatewayId = "e2e-backup-" + Guid.NewGuid().ToString("N")[..6];
        RegistryAddress = $"127.0.0.1:{GatewayNode.FreePort().ToString(CultureInfo.InvariantCulture)}";
        GatewayUrl = $"http://127.0.0.1:{GatewayNode.FreePort().ToString(CultureInfo.InvariantCulture)}";
        BuilderUrl = $"http://127.0.0.1:{GatewayNode.FreePort().ToString(CultureInfo.InvariantCulture)}";
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // No machine's /etc/epsilon/epsilon.env may leak into the test.
            ["EPSILON_CONFIG"] = "/dev/null",
            ["EPSILON_STATE_DIR"] = Root,
            ["EPSILON_REGISTRY_DIR"] = RegistryDirectory,
            ["Epsilon__Registry__Address"] = RegistryAddress,
            ["Epsilon__Builder__GatewayUrl"] = GatewayUrl,
            ["Epsilon__Builder__AllowLocalRepositories"] = "true",
            ["Epsilon__Builder__WorkDirectory"] = Path.Combine(Root, "builds"),
            ["Epsilon__Gateway__Id"] = GatewayId,
            ["Epsilon__Gateway__Fleet__DrainDelay"] = "00:00:00",
            ["Logging__LogLevel__Default"] = "Warning",
            [TestAdmin.BuilderEnvironment.Key] = TestAdmin.BuilderEnvironment.Value,
        };
        if (provider == StoreProvider.Postgres)
        {
            _database = new PostgresStoreDatabase();
            _environment["Epsilon__Store__Provider"] = "Postgres";
            _environment["Epsilon__Store__ConnectionString"] = _database.ConnectionString + ";Password=" + DatabasePassword;
        }
        else
        {
            _environment["Epsilon__Store__Path"] = StorePath;
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            _environment[name] = value;
        }
    }

    public StoreProvider Provider { get; }

    public string Root { get; }

    public string GatewayId { get; }

    public string RegistryAddress { get; }

    public string RegistryDirectory => Path.Combine(Root, "registry");

    public string StorePath => Path.Combine(Root, "epsilon.db");

    public string GatewayUrl { get; }

    public string BuilderUrl { get; }

    /// <summary>What the services get, and what the backup and restore scripts read as an operator would run them.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    public HttpClient Gateway { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient Builder { get; } = TestAdmin.Authorize(new() { Timeout = TimeSpan.FromMinutes(5) });

    /// <summary>An empty platform: its registry runs (empty), its store is empty, no service runs yet.</summary>
    /// <param name="provider">The store's provider.</param>
    /// <param name="settings">Environment variables the services get on top of the platform's own (<c>Epsilon__Gateway__ReapInterval</c>).</param>
    public static async Task<ProcessPlatform> CreateAsync(StoreProvider provider, IReadOnlyDictionary<string, string>? settings = null)
    {
        var platform = new ProcessPlatform(provider, settings);
        try
        {
            await platform.StartRegistryAsync();
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts this platform's registry (again, after <see cref="StopRegistryAsync"/>), on the same address and storage.</summary>
    public async Task StartRegistryAsync()
    {
        Directory.CreateDirectory(RegistryDirectory);
        var config = Path.Combine(Root, "registry.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {RegistryDirectory}
              delete:
                enabled: true
            http:
              addr: {RegistryAddress}
            """);
        _registry = await ServiceProcess.StartAsync("docker-registry", ["serve", config], new Dictionary<string, string>(), $"http://{RegistryAddress}/v2/");
    }

    /// <summary>Stops this platform's registry: the registry is down.</summary>
    public async Task StopRegistryAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
            _registry = null;
        }
    }

    /// <summary>What the gateway process wrote so far, for a test's assertion or failure message.</summary>
    public string GatewayOutput => _gateway?.Output ?? "";

    /// <summary>Starts the gateway, then the builder, each as its own process.</summary>
    public async Task StartServicesAsync()
    {
        await StartGatewayAsync();
        _builder = await ServiceProcess.StartAsync("dotnet",
            [Path.Combine(TestRepository.SourceRoot, "builder/Epsilon.Builder/bin/Release/net10.0/Epsilon.Builder.dll"), "--urls", BuilderUrl],
            _environment, BuilderUrl + "/_epsilon/health");
    }

    /// <summary>Starts the gateway as its own process (again, after <see cref="KillGatewayAsync"/>), with the same id.</summary>
    public async Task StartGatewayAsync() =>
        _gateway = await ServiceProcess.StartAsync("dotnet",
            [Path.Combine(TestRepository.SourceRoot, "gateway/Epsilon.Gateway/bin/Release/net10.0/Epsilon.Gateway.dll"), "--urls", GatewayUrl],
            _environment, GatewayUrl + "/_epsilon/health");

    /// <summary>Kills the gateway with SIGKILL: it removes nothing, its containers stay behind.</summary>
    public async Task KillGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.KillAsync();
            await _gateway.DisposeAsync();
            _gateway = null;
        }
    }

    /// <summary>Stops the builder, the gateway (which removes its containers) and the registry: the platform is gone.</summary>
    public async Task StopAsync()
    {
        foreach (var service in new[] { _builder, _gateway, _registry })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }

        (_builder, _gateway, _registry) = (null, null, null);
    }

    /// <summary>Deploys the repository at <paramref name="path"/>; fails the test with the build's error unless it succeeds.</summary>
    public async Task<JsonElement> DeployOkAsync(string path)
    {
        using var response = await Builder.PostAsJsonAsync(BuilderUrl + "/deployments", new { repository = path });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, $"deploy answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Calls <paramref name="function"/> through this platform's gateway: its status and body.</summary>
    public async Task<(int Status, string Body)> CallAsync(string function)
    {
        using var response = await Gateway.GetAsync($"{GatewayUrl}/{function}/");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The containers of this platform's gateway, running or not, as <c>docker ps -a --filter label=epsilon.gateway=...</c> lists them.</summary>
    public async Task<IList<ContainerListResponse>> ContainersAsync(IDockerClient docker) =>
        await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerFilters.Labels($"epsilon.gateway={GatewayId}"),
        });

    /// <summary>Runs one statement on this platform's store, as a release with another schema would.</summary>
    public async Task ExecuteOnStoreAsync(string sql)
    {
        if (_database is not null)
        {
            await _database.ExecuteAsync(sql);
            return;
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = StorePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// PostgreSQL down for this platform's store, or back: the test server serves every other test, so rather than
    /// stopping it this ends the sessions on this platform's database and refuses new ones, as a stopped server would.
    /// </summary>
    public async Task SetStoreReachableAsync(bool reachable)
    {
        var database = _database ?? throw new InvalidOperationException("only a PostgreSQL store can be made unreachable");
        await using var connection = new NpgsqlConnection(PostgresStoreDatabase.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"ALTER DATABASE \"{database.Name}\" ALLOW_CONNECTIONS {(reachable ? "true" : "false")}", connection);
        await command.ExecuteNonQueryAsync();
        if (!reachable)
        {
            await using var terminate = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", connection);
            terminate.Parameters.AddWithValue("name", database.Name);
            await terminate.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Removes the images tagged with this platform's registry's address from the Docker engine.</summary>
    public static async Task RemoveImagesAsync(IDockerClient docker, string registryAddress)
    {
        var images = await docker.Images.ListImagesAsync(new ImagesListParameters { All = false });
        foreach (var tag in images.SelectMany(i => i.RepoTags ?? []).Where(t => t.StartsWith(registryAddress + "/", StringComparison.Ordinal)))
        {
            try
            {
                await docker.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = true });
            }
            catch (DockerImageNotFoundException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        using (var docker = DockerClientFactory.Create())
        {
            // Belt and braces: the gateway removes its containers as it stops, even when it did not stop cleanly.
            foreach (var container in await ContainersAsync(docker))
            {
                await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }

            await RemoveImagesAsync(docker, RegistryAddress);
        }

        _database?.Dispose();
        Gateway.Dispose();
        Builder.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
