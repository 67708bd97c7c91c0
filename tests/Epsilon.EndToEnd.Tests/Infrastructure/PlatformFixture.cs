using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Builder;
using Epsilon.Core.Docker;
using Epsilon.Gateway;
using Epsilon.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Epsilon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One real platform for the whole collection: a builder and a gateway on real Kestrel ports, a fresh SQLite store,
/// the real Docker engine and the local registry (both started by scripts/setup.sh, which the test command runs).
/// Every container the gateway makes carries this run's gateway id, and all are removed at the end.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-e2e-").FullName;
    private WebApplication? _gateway;
    private WebApplication? _builder;

    public string GatewayId { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    public string StorePath => Path.Combine(_root, "epsilon.db");

    /// <summary>The builder's <c>Epsilon:Builder:WorkDirectory</c>, where each deployment has a folder while it runs.</summary>
    public string WorkDirectory => Path.Combine(_root, "builds");

    public IDockerClient Docker { get; } = DockerClientFactory.Create();

    public HttpClient Builder { get; private set; } = null!;

    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The key builder and gateways encrypt and decrypt functions' secrets with.</summary>
    public string SecretsKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Every line the builder and the gateway log from Information up (the console shows warnings only), for tests that search them.</summary>
    internal LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        _gateway = GatewayApplication.Build(GatewayArguments(GatewayId, removeOnStop: true));
        _gateway.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        await _gateway.StartAsync();
        Gateway = new HttpClient { BaseAddress = new Uri(_gateway.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };

        _builder = BuilderApplication.Build(BuilderArguments(StorePath, WorkDirectory));
        _builder.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        await _builder.StartAsync();
        Builder = TestAdmin.Authorize(new HttpClient { BaseAddress = new Uri(_builder.Urls.First()), Timeout = TimeSpan.FromMinutes(5) });
    }

    /// <summary>
    /// A client of an extra gateway a test started on this run's store. The gateways sharing the store are a fleet, which
    /// would route each call to the function's home; the balancer's home mark keeps every call on this one.
    /// </summary>
    public static HttpClient ClientOf(WebApplication gateway)
    {
        var client = new HttpClient { BaseAddress = new Uri(gateway.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add(Epsilon.Core.Contracts.FleetHeaders.Home, "1");
        return client;
    }

    /// <summary>The gateways' <c>Epsilon:Gateway:BaseDomain</c>.</summary>
    public const string BaseDomain = "fn.test";

    /// <summary>
    /// Arguments for a builder on <paramref name="storePath"/>, deploying the tests' local repositories and linking
    /// functions to this run's gateway; tests start extra builders with settings of their own after these.
    /// </summary>
    public string[] BuilderArguments(string storePath, string workDirectory) =>
    [
        "--urls=http://127.0.0.1:0",
        $"--Epsilon:Store:Path={storePath}",
        $"--Epsilon:Builder:WorkDirectory={workDirectory}",
        $"--Epsilon:Builder:GatewayUrl={Gateway.BaseAddress}",
        // The tests' repositories are local folders.
        "--Epsilon:Builder:AllowLocalRepositories=true",
        TestAdmin.BuilderArgument,
        $"--Epsilon:Secrets:Key={SecretsKey}",
        "--Logging:LogLevel:Default=Information",
        "--Logging:Console:LogLevel:Default=Warning",
    ];

    /// <summary>Arguments for a gateway on this run's store; tests start extra gateways with their own ids.</summary>
    public string[] GatewayArguments(string id, bool removeOnStop) =>
    [
        "--urls=http://127.0.0.1:0",
        $"--Epsilon:Store:Path={StorePath}",
        $"--Epsilon:Gateway:Id={id}",
        "--Epsilon:Gateway:ReapInterval=00:00:01",
        "--Epsilon:Gateway:PauseIdleAfter=00:00:02",
        "--Epsilon:Gateway:QueueTimeout=00:00:05",
        "--Epsilon:Gateway:MaxQueueLength=2",
        // Host routes: {function}.fn.test and {alias|vN}.{function}.fn.test, sent to 127.0.0.1 with that Host.
        $"--Epsilon:Gateway:BaseDomain={BaseDomain}",
        $"--Epsilon:Gateway:RemoveContainersOnStop={removeOnStop}",
        $"--Epsilon:Secrets:Key={SecretsKey}",
        "--Logging:LogLevel:Default=Information",
        "--Logging:Console:LogLevel:Default=Warning",
    ];

    /// <summary>Deploys the repository at <paramref name="path"/> and returns the status and JSON body.</summary>
    public async Task<(int Status, JsonElement Body)> DeployAsync(string path, string? gitRef = null)
    {
        using var response = await Builder.PostAsJsonAsync("/deployments", new { repository = path, @ref = gitRef });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, body);
    }

    /// <summary>Deploys and fails the test with the build's own error when the deploy does not succeed.</summary>
    public async Task<JsonElement> DeployOkAsync(string path)
    {
        var (status, body) = await DeployAsync(path);
        Assert.True(status == 201, $"deploy answered {status}: {body}");
        return body;
    }

    private Task? _echo;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task>> _examples = new(StringComparer.Ordinal);

    /// <summary>Deploys an example folder of this source tree (e.g. <c>examples/go-echo</c>) once per run.</summary>
    public Task EnsureDeployedAsync(string example) => _examples.GetOrAdd(example, e => new Lazy<Task>(async () =>
    {
        using var repository = TestRepository.FromDirectory(e);
        await DeployOkAsync(repository.Path);
    })).Value;

    /// <summary>
    /// Deploys, once per run, a repository with <c>echo</c> (timeout 1 s, concurrency 1, maxContainers 1, an env var) and
    /// <c>echo-wide</c> (the same code with default limits).
    /// </summary>
    public Task EnsureEchoAsync() => _echo ??= DeployEchoAsync();

    private async Task DeployEchoAsync()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = """
                runtime: node
                functions:
                  echo:
                    handler: echo.js:echo
                    timeout: 1s
                    concurrency: 1
                    maxContainers: 1
                    env:
                      SECRET: s3cr3t-value
                  echo-wide:
                    handler: echo.js:echo
                """,
            ["echo.js"] = Functions.Echo,
        });
        await DeployOkAsync(repository.Path);
    }

    /// <summary>The build log of <paramref name="deployment"/> (a deploy's answer), line by line.</summary>
    public async Task<string[]> DeploymentLogAsync(JsonElement deployment)
    {
        var status = await Builder.GetFromJsonAsync<JsonElement>($"/deployments/{deployment.GetProperty("deploymentId").GetString()}");
        return status.GetProperty("log").GetString()!.Split('\n');
    }

    /// <summary>The index of the first build-log line containing <paramref name="marker"/>; fails the test, showing the log, when there is none.</summary>
    public static int StepIndex(string[] log, string marker, string step)
    {
        var index = Array.FindIndex(log, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no {step} step in the build log:\n" + string.Join('\n', log));
        return index;
    }

    /// <summary>Ids of the containers that gateway <paramref name="gatewayId"/> has, optionally of one function.</summary>
    public async Task<IReadOnlyList<ContainerListResponse>> ContainersAsync(string gatewayId, string? function = null)
    {
        string[] labels = function is null ? [$"epsilon.gateway={gatewayId}"] : [$"epsilon.gateway={gatewayId}", $"epsilon.function={function}"];
        return [.. await Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = DockerFilters.Labels(labels) })];
    }

    public async Task DisposeAsync()
    {
        if (_builder is not null)
        {
            await _builder.StopAsync();
            await _builder.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }

        // Belt and braces: nothing of this run may outlive it, even if a gateway failed to stop cleanly.
        var leftovers = await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerFilters.Labels("epsilon.gateway"),
        });
        foreach (var container in leftovers.Where(c => c.Labels is { } labels && labels.TryGetValue("epsilon.gateway", out var gateway) && gateway.StartsWith("e2e-", StringComparison.Ordinal)))
        {
            await Docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        Docker.Dispose();
        Builder?.Dispose();
        Gateway?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
