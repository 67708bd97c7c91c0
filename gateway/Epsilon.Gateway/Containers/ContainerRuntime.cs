using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Epsilon.Core.Contracts;
using Epsilon.Core.Docker;
using Epsilon.Core.Model;
using Epsilon.Core.Registry;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Containers;

/// <summary>
/// Everything the gateway asks of Docker: the network, pulling images, creating and starting function containers with
/// their limits, waiting for the wrapper's readiness, watching for exits and removing containers.
/// </summary>
internal sealed partial class ContainerRuntime : IDisposable
{
    private readonly IDockerClient _docker;
    private readonly GatewayOptions _options;
    private readonly IOptions<RegistryOptions> _registry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ContainerRuntime> _logger;
    private readonly HttpClient _probe;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _pulls = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _starts;

    public ContainerRuntime(IDockerClient docker, IOptions<GatewayOptions> options, IOptions<RegistryOptions> registry, TimeProvider timeProvider,
        ILogger<ContainerRuntime> logger)
    {
        _docker = docker;
        _options = options.Value;
        _registry = registry;
        _timeProvider = timeProvider;
        _logger = logger;
        _starts = new SemaphoreSlim(_options.MaxConcurrentStarts);
        _probe = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            // A SYN sent before the container's bridge port forwards is lost; retry soon rather than wait for TCP's resend.
            ConnectTimeout = TimeSpan.FromMilliseconds(50),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
        })
        { Timeout = TimeSpan.FromSeconds(2) };
    }

    /// <summary>Checks the daemon, creates the network if absent and removes containers a previous run of this gateway left.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await _docker.System.PingAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _docker.Networks.InspectNetworkAsync(_options.Network, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNetworkNotFoundException)
        {
            try
            {
                // Functions must not reach each other: inter-container traffic is off; the host still reaches them.
                await _docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
                {
                    Name = _options.Network,
                    Driver = "bridge",
                    Labels = new Dictionary<string, string> { [ContainerLabels.Managed] = ContainerLabels.ManagedValue },
                    Options = new Dictionary<string, string> { ["com.docker.network.bridge.enable_icc"] = "false" },
                }, cancellationToken).ConfigureAwait(false);
                Log.NetworkCreated(_logger, _options.Network);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
            {
                // Another gateway on this host created it first.
            }
        }

        var leftovers = await ListOwnContainersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in leftovers)
        {
            await RemoveAsync(id, cancellationToken).ConfigureAwait(false);
        }

        if (leftovers.Count > 0)
        {
            Log.LeftoversRemoved(_logger, leftovers.Count, _options.Id);
        }
    }

    /// <summary>Ids of every container labelled with this gateway's id.</summary>
    public async Task<IReadOnlyList<string>> ListOwnContainersAsync(CancellationToken cancellationToken)
    {
        var containers = await _docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Labels = new Dictionary<string, string?> { [ContainerLabels.Managed] = ContainerLabels.ManagedValue, [ContainerLabels.Gateway] = _options.Id },
        }, cancellationToken).ConfigureAwait(false);
        return containers.Select(c => c.ID).ToList();
    }

    /// <summary>
    /// Cold start: pulls the image if absent, creates and starts the container and waits until its wrapper is ready.
    /// Sets <see cref="FunctionContainer.Id"/>, <see cref="FunctionContainer.Endpoint"/> and <see cref="FunctionContainer.Timeout"/>.
    /// </summary>
    /// <returns>A task that completes with the exit code when the container stops.</returns>
    /// <param name="container">The container to start.</param>
    /// <param name="cancellationToken">Ends the start and the exit watch: the gateway is stopping.</param>
    public async Task<Task<long>> StartAsync(FunctionContainer container, CancellationToken cancellationToken)
    {
        var version = container.Version;
        using var deadline = new CancellationTokenSource(_options.ColdStartTimeout, _timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await EnsureImageAsync(version.Image, timeout.Token).ConfigureAwait(false);
            // The daemon does creates and starts largely one at a time: a burst of cold starts all in flight at once
            // would all finish late together; taking them in turns lets the first calls be answered first.
            CreateContainerResponse created;
            await _starts.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                created = await _docker.Containers.CreateContainerAsync(CreateParameters(version), timeout.Token).ConfigureAwait(false);
                container.Id = created.ID;
                await _docker.Containers.StartContainerAsync(created.ID, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _starts.Release();
            }

            var exited = WatchExitAsync(created.ID, cancellationToken);
            var inspect = await _docker.Containers.InspectContainerAsync(created.ID, timeout.Token).ConfigureAwait(false);
            var address = inspect.NetworkSettings.Networks is { } networks && networks.TryGetValue(_options.Network, out var endpoint)
                ? endpoint.IPAddress
                : null;
            if (string.IsNullOrEmpty(address))
            {
                throw new ColdStartException($"container of function '{version.Function}' got no address on network '{_options.Network}'");
            }

            container.Endpoint = $"http://{address}:{_options.ContainerPort.ToString(CultureInfo.InvariantCulture)}";
            container.Timeout = await WaitUntilReadyAsync(container, exited, timeout.Token).ConfigureAwait(false);
            Log.Started(_logger, created.ID[..12], version.Function, version.Version);
            return exited;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ColdStartException(
                $"function '{version.Function}' was not ready within {_options.ColdStartTimeout.TotalSeconds:0} s");
        }
        catch (DockerApiException ex)
        {
            throw new ColdStartException($"function '{version.Function}' could not be started: {ex.Message}", ex);
        }
    }

    private CreateContainerParameters CreateParameters(FunctionVersion version)
    {
        var config = version.Config;
        var env = config.Env.Select(e => $"{e.Key}={e.Value}").ToList();
        if (config.Timeout is { } functionTimeout)
        {
            env.Add($"{WrapperEnvironment.TimeoutMs}={(long)functionTimeout.TotalMilliseconds}");
        }

        return new CreateContainerParameters
        {
            Name = $"epsilon-{version.Function}-v{version.Version}-{Guid.NewGuid().ToString("N")[..8]}",
            Image = version.Image,
            Env = env,
            User = _options.ContainerUser,
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.Managed] = ContainerLabels.ManagedValue,
                [ContainerLabels.Function] = version.Function,
                [ContainerLabels.Version] = version.Version.ToString(CultureInfo.InvariantCulture),
                [ContainerLabels.Gateway] = _options.Id,
            },
            HostConfig = new HostConfig
            {
                Memory = config.MemoryBytes,
                MemorySwap = config.MemoryBytes,
                NanoCpus = (long)(config.Cpu * 1_000_000_000),
                PidsLimit = _options.PidsLimit,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                NetworkMode = _options.Network,
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,nosuid,size=64m" },
            },
        };
    }

    private async Task EnsureImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (DockerImageNotFoundException)
        {
        }

        // One pull per image however many cold starts wait for it.
        var pull = _pulls.GetOrAdd(image, i => new Lazy<Task>(() => PullAsync(i)));
        try
        {
            await pull.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (pull.Value.IsCompleted)
            {
                _pulls.TryRemove(KeyValuePair.Create(image, pull));
            }
        }
    }

    private async Task PullAsync(string image)
    {
        var reference = ImageReference.Parse(image);
        Log.Pulling(_logger, image);
        using var timeout = new CancellationTokenSource(_options.ColdStartTimeout, _timeProvider);
        await _docker.Images.CreateImageAsync(reference.Name, reference.TagOrDigest, _registry.Value.ToAuthConfig(), null, timeout.Token)
            .ConfigureAwait(false);
    }

    private async Task<TimeSpan> WaitUntilReadyAsync(FunctionContainer container, Task<long> exited, CancellationToken cancellationToken)
    {
        var url = container.Endpoint + WrapperProtocol.ReadyPath;
        while (true)
        {
            if (exited.IsCompleted)
            {
                var code = exited.IsCompletedSuccessfully ? exited.Result : -1;
                var output = await TailAsync(container.Id!, cancellationToken).ConfigureAwait(false);
                throw new ColdStartException($"function '{container.Version.Function}' exited during start (exit code {code}){output}");
            }

            try
            {
                using var response = await _probe.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return json.RootElement.TryGetProperty(WrapperProtocol.ReadyTimeoutMsProperty, out var timeoutMs) && timeoutMs.TryGetInt64(out var ms) && ms > 0
                        ? TimeSpan.FromMilliseconds(ms)
                        : container.Version.Config.Timeout ?? FunctionDefaults.RuntimeTimeout;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe's own timeout: the process is busy starting.
            }

            await Task.WhenAny(exited, Task.Delay(_options.ReadinessPollInterval, _timeProvider, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<string> TailAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var lines = new List<string>();
            await foreach (var line in _docker.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { Tail = "5" }, cancellationToken)
                               .ConfigureAwait(false))
            {
                lines.Add(line.Text);
            }

            return lines.Count == 0 ? "" : ": " + string.Join(" | ", lines);
        }
        catch (DockerApiException)
        {
            return "";
        }
    }

    private async Task<long> WatchExitAsync(string id, CancellationToken stopping)
    {
        try
        {
            var result = await _docker.Containers.WaitContainerAsync(id, stopping).ConfigureAwait(false);
            return result.StatusCode;
        }
        catch (Exception ex) when (ex is DockerContainerNotFoundException or OperationCanceledException)
        {
            return -1;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException)
        {
            // The watch broke, not necessarily the container: ask once whether it still runs.
            try
            {
                var inspect = await _docker.Containers.InspectContainerAsync(id, stopping).ConfigureAwait(false);
                return inspect.State.Running ? await WatchExitAsync(id, stopping).ConfigureAwait(false) : inspect.State.ExitCode;
            }
            catch (Exception)
            {
                return -1;
            }
        }
    }

    /// <summary>Freezes a container's processes (<c>docker pause</c>).</summary>
    public Task PauseAsync(string id, CancellationToken cancellationToken = default) => _docker.Containers.PauseContainerAsync(id, cancellationToken);

    /// <summary>Thaws a paused container (<c>docker unpause</c>).</summary>
    public Task UnpauseAsync(string id, CancellationToken cancellationToken = default) => _docker.Containers.UnpauseContainerAsync(id, cancellationToken);

    /// <summary>Removes a container, killing it if it runs. A container already gone is fine.</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            await _docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Removal already in progress.
        }
    }

    public void Dispose()
    {
        _probe.Dispose();
        _starts.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Created network '{Network}' for function containers.")]
        public static partial void NetworkCreated(ILogger logger, string network);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Removed {Count} container(s) left by gateway '{Gateway}'.")]
        public static partial void LeftoversRemoved(ILogger logger, int count, string gateway);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Pulling image '{Image}'.")]
        public static partial void Pulling(ILogger logger, string image);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Container '{ContainerId}' of function '{Function}' v{Version} is ready.")]
        public static partial void Started(ILogger logger, string containerId, string function, int version);
    }
}
