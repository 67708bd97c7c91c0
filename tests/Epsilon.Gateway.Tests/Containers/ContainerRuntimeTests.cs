using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Core.Docker;
using Epsilon.Core.Model;
using Epsilon.Core.Registry;
using Epsilon.Core.Secrets;
using Epsilon.Gateway.Functions;
using Epsilon.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Containers;

/// <summary>The adapter's own behaviour over a client without a daemon: error outcomes, per-call bounds, a start's retry.</summary>
public sealed class ContainerRuntimeTests
{
    private const string Network = "epsilon-test";

    private readonly FakeDockerClient _docker = FakeDockerClient.Create();

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "{\"message\":\"network epsilon not found\"}", nameof(StartFailure.NetworkMissing))]
    [InlineData(HttpStatusCode.NotFound, "{\"message\":\"No such container: 4f2a\"}", nameof(StartFailure.ContainerMissing))]
    [InlineData(HttpStatusCode.NotFound, "{\"message\":\"something else\"}", nameof(StartFailure.Other))]
    [InlineData(HttpStatusCode.InternalServerError, "{\"message\":\"network epsilon not found\"}", nameof(StartFailure.Other))]
    public void A_refused_start_is_told_apart_by_the_daemons_message(HttpStatusCode status, string body, string expected)
    {
        // Docker.DotNet throws its container-not-found exception for any 404 of a start.
        DockerApiException exception = status == HttpStatusCode.NotFound
            ? new DockerContainerNotFoundException(status, body)
            : new DockerApiException(status, body);

        Assert.Equal(Enum.Parse<StartFailure>(expected), ContainerRuntime.ClassifyStartFailure(exception));
    }

    [Fact]
    public async Task UnpauseAsync_OfAContainerThatIsNotPaused_Succeeds()
    {
        _docker.Answer = (_, _) => Task.FromException(new DockerApiException(HttpStatusCode.Conflict, "{\"message\":\"Container 4f2a is not paused\"}"));
        using var runtime = Runtime();

        await runtime.UnpauseAsync("4f2a");

        Assert.Equal(["UnpauseContainerAsync"], _docker.Calls);
    }

    [Fact]
    public async Task UnpauseAsync_OfAGoneContainer_ThrowsOurExceptionWithTheDaemonsMessage()
    {
        _docker.Answer = (_, _) => Task.FromException(new DockerContainerNotFoundException(HttpStatusCode.NotFound, "{\"message\":\"No such container: 4f2a\"}"));
        using var runtime = Runtime();

        var exception = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.UnpauseAsync("4f2a"));

        Assert.Equal("container '4f2a' could not be thawed: No such container: 4f2a", exception.Message);
    }

    [Fact]
    public async Task A_call_that_does_not_answer_is_cut_at_the_request_timeout_and_a_cancelled_one_stays_cancelled()
    {
        _docker.Answer = (_, arguments) => Task.Delay(Timeout.Infinite, (CancellationToken)arguments[^1]!);
        using var runtime = Runtime(requestTimeout: TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<TimeoutException>(() => runtime.PauseAsync("4f2a"));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runtime.PauseAsync("4f2a", cancelled.Token));
        Assert.IsNotType<TimeoutException>(exception);
    }

    [Fact]
    public async Task RemoveAsync_OfAGoneContainer_Succeeds()
    {
        _docker.Answer = (_, _) => Task.FromException(new DockerContainerNotFoundException(HttpStatusCode.NotFound, "{\"message\":\"No such container: 4f2a\"}"));
        using var runtime = Runtime();

        await runtime.RemoveAsync("4f2a");
    }

    [Fact]
    public async Task StartAsync_OnAMissingNetwork_MakesItAgainAndStartsANewContainer_WhoseExitWatchOutlivesTheRequestTimeout()
    {
        await using var wrapper = await ReadyEndpoint.StartAsync();
        var created = 0;
        var started = 0;
        _docker.Answer = (name, arguments) => name switch
        {
            "InspectImageAsync" => Task.FromResult(new ImageInspectResponse()),
            "CreateContainerAsync" => Task.FromResult(new CreateContainerResponse { ID = $"container-{++created}" }),
            "StartContainerAsync" when ++started == 1 => Task.FromException<bool>(
                new DockerContainerNotFoundException(HttpStatusCode.NotFound, $"{{\"message\":\"network {Network} not found\"}}")),
            "StartContainerAsync" => Task.FromResult(true),
            "RemoveContainerAsync" => Task.CompletedTask,
            "InspectNetworkAsync" => Task.FromException<NetworkResponse>(new DockerNetworkNotFoundException(HttpStatusCode.NotFound, "{\"message\":\"network not found\"}")),
            "CreateNetworkAsync" => Task.FromResult(new NetworksCreateResponse { ID = "n1" }),
            "InspectContainerAsync" => Task.FromResult(new ContainerInspectResponse
            {
                NetworkSettings = new NetworkSettings { Networks = new Dictionary<string, EndpointSettings> { [Network] = new() { IPAddress = "127.0.0.1" } } },
            }),
            "WaitContainerAsync" => RunsUntilCancelledAsync((CancellationToken)arguments[^1]!),
            _ => throw new NotSupportedException(name),
        };
        using var runtime = Runtime(requestTimeout: TimeSpan.FromMilliseconds(200), containerPort: wrapper.Port);
        using var stopping = new CancellationTokenSource();
        var container = new FunctionContainer(Version(), 0);

        var exited = await runtime.StartAsync(container, stopping.Token);

        Assert.Equal("container-2", container.Id);
        Assert.Equal($"http://127.0.0.1:{wrapper.Port}", container.Endpoint);
        Assert.Equal(TimeSpan.FromMilliseconds(1234), container.Timeout);
        Assert.Equal(
            ["InspectImageAsync", "CreateContainerAsync", "StartContainerAsync", "RemoveContainerAsync", "InspectNetworkAsync", "CreateNetworkAsync",
             "CreateContainerAsync", "StartContainerAsync", "WaitContainerAsync", "InspectContainerAsync"],
            _docker.Calls);
        await Task.Delay(500);
        Assert.False(exited.IsCompleted, "the exit watch is a stream: the request timeout must not end it");
        await stopping.CancelAsync();
        Assert.Equal(-1, (await exited).ExitCode);
    }

    [Fact]
    public async Task StartAsync_WaitingForItsTurnLongerThanTheColdStartTimeout_StillStarts()
    {
        await using var wrapper = await ReadyEndpoint.StartAsync();
        var created = 0;
        _docker.Answer = (name, arguments) => name switch
        {
            "InspectImageAsync" => Task.FromResult(new ImageInspectResponse()),
            // Each create takes 0.6 s of its start's bound of 1 s: the second, after its turn, 1.2 s in all.
            "CreateContainerAsync" => CreatedAfterAsync(TimeSpan.FromSeconds(0.6), $"container-{Interlocked.Increment(ref created)}"),
            "StartContainerAsync" => Task.FromResult(true),
            "InspectContainerAsync" => Task.FromResult(new ContainerInspectResponse
            {
                NetworkSettings = new NetworkSettings { Networks = new Dictionary<string, EndpointSettings> { [Network] = new() { IPAddress = "127.0.0.1" } } },
            }),
            "WaitContainerAsync" => RunsUntilCancelledAsync((CancellationToken)arguments[^1]!),
            _ => throw new NotSupportedException(name),
        };
        using var runtime = Runtime(containerPort: wrapper.Port, coldStartTimeout: TimeSpan.FromSeconds(1), maxConcurrentStarts: 1);
        using var stopping = new CancellationTokenSource();
        var (first, second) = (new FunctionContainer(Version(), 0), new FunctionContainer(Version(), 0));

        var firstStart = runtime.StartAsync(first, stopping.Token);
        var secondStart = runtime.StartAsync(second, stopping.Token);

        await firstStart;
        await secondStart;
        Assert.Equal("container-1", first.Id);
        Assert.Equal("container-2", second.Id);
        Assert.Equal($"http://127.0.0.1:{wrapper.Port}", second.Endpoint);
        await stopping.CancelAsync();
    }

    [Fact]
    public async Task StartAsync_OfAContainerRemovedBeforeItStarted_IsAColdStartFailureSayingSo()
    {
        _docker.Answer = (name, _) => name switch
        {
            "InspectImageAsync" => Task.FromResult(new ImageInspectResponse()),
            "CreateContainerAsync" => Task.FromResult(new CreateContainerResponse { ID = "container-1" }),
            "StartContainerAsync" => Task.FromException<bool>(new DockerContainerNotFoundException(HttpStatusCode.NotFound, "{\"message\":\"No such container: container-1\"}")),
            _ => throw new NotSupportedException(name),
        };
        using var runtime = Runtime();

        var exception = await Assert.ThrowsAsync<ColdStartException>(() => runtime.StartAsync(new FunctionContainer(Version(), 0), CancellationToken.None));

        Assert.Equal("function 'hello' could not be started: its container was removed before it started", exception.Message);
    }

    [Fact]
    public async Task StartAsync_RefusedForAnotherReason_IsAColdStartFailureWithTheDaemonsMessage()
    {
        _docker.Answer = (name, _) => name switch
        {
            "InspectImageAsync" => Task.FromResult(new ImageInspectResponse()),
            "CreateContainerAsync" => Task.FromException<CreateContainerResponse>(new DockerApiException(HttpStatusCode.Conflict, "{\"message\":\"Conflict. The name is already in use\"}")),
            _ => throw new NotSupportedException(name),
        };
        using var runtime = Runtime();

        var exception = await Assert.ThrowsAsync<ColdStartException>(() => runtime.StartAsync(new FunctionContainer(Version(), 0), CancellationToken.None));

        Assert.Equal("function 'hello' could not be started: Conflict. The name is already in use", exception.Message);
    }

    private static async Task<CreateContainerResponse> CreatedAfterAsync(TimeSpan delay, string id)
    {
        await Task.Delay(delay);
        return new CreateContainerResponse { ID = id };
    }

    /// <summary>A wait on a container that keeps running: the daemon answers only when it stops.</summary>
    private static async Task<ContainerWaitResponse> RunsUntilCancelledAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return new ContainerWaitResponse();
    }

    private ContainerRuntime Runtime(TimeSpan? requestTimeout = null, int containerPort = 8080, TimeSpan? coldStartTimeout = null, int maxConcurrentStarts = 2) => new(
        _docker.Client,
        Options.Create(new GatewayOptions
        {
            Network = Network,
            ContainerPort = containerPort,
            ColdStartTimeout = coldStartTimeout ?? TimeSpan.FromSeconds(30),
            MaxConcurrentStarts = maxConcurrentStarts,
        }),
        new StaticRegistryCredentials(Options.Create(new RegistryOptions())),
        new FunctionSecrets(() => FunctionTable.Empty, new SecretCipher(Options.Create(new SecretsOptions())), NullLogger<FunctionSecrets>.Instance),
        Options.Create(new DockerClientOptions { RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30) }),
        TimeProvider.System,
        NullLogger<ContainerRuntime>.Instance);

    private static FunctionVersion Version() => new()
    {
        Function = "hello",
        Version = 1,
        Image = "registry.test/hello:v1",
        Status = VersionStatus.Ready,
        DeploymentId = "d-0123456789abcdef",
        Config = new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = "hello" },
        CreatedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    /// <summary>A wrapper's readiness endpoint on loopback, answering with its timeout.</summary>
    private sealed class ReadyEndpoint(WebApplication app) : IAsyncDisposable
    {
        public int Port { get; } = new Uri(app.Urls.First()).Port;

        public static async Task<ReadyEndpoint> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/_epsilon/ready", () => Results.Json(new { timeoutMs = 1234 }));
            await app.StartAsync();
            return new ReadyEndpoint(app);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
