using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Core.Contracts;
using Epsilon.Core.Docker;
using Epsilon.Core.Manifest;
using Epsilon.Core.Model;
using Epsilon.Core.Registry;
using Epsilon.Gateway.Functions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Containers;

/// <summary>
/// Everything the gateway asks of Docker: the network, pulling images, creating and starting function containers with
/// their limits, waiting for the wrapper's readiness, watching for exits and removing containers. The adapter between
/// the gateway and Docker.DotNet: each non-streaming call is bounded by <see cref="DockerClientOptions.RequestTimeout"/>,
/// and the library's exceptions become the gateway's outcomes here (<see cref="ColdStartException"/>,
/// <see cref="ContainerRuntimeException"/>, or success where the daemon's refusal means the work is already done).
/// </summary>
internal sealed partial class ContainerRuntime : IDisposable
{
    private readonly IDockerClient _docker;
    private readonly GatewayOptions _options;
    private readonly IRegistryCredentials _registry;
    private readonly FunctionSecrets _secrets;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ContainerRuntime> _logger;
    /// <summary>128 + SIGKILL: what a container killed for its memory limit exits with (among others killed).</summary>
    private const long KilledExitCode = 137;

    private readonly ReadinessProbe _probe = new();
    private readonly ConcurrentDictionary<string, Lazy<Task>> _pulls = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _starts;
    private readonly TimeSpan _requestTimeout;

    public ContainerRuntime(
        IDockerClient docker,
        IOptions<GatewayOptions> options,
        IRegistryCredentials registry,
        FunctionSecrets secrets,
        IOptions<DockerClientOptions> dockerOptions,
        TimeProvider timeProvider,
        ILogger<ContainerRuntime> logger)
    {
        _docker = docker;
        _options = options.Value;
        _requestTimeout = dockerOptions.Value.RequestTimeout;
        _registry = registry;
        _secrets = secrets;
        _timeProvider = timeProvider;
        _logger = logger;
        _starts = new SemaphoreSlim(_options.MaxConcurrentStarts);
    }

    /// <summary>Checks the daemon, creates the network if absent and removes containers a previous run of this gateway left.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            await BoundedAsync((docker, token) => docker.System.PingAsync(token), cancellationToken).ConfigureAwait(false);
            await EnsureNetworkAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException($"Docker is not ready for function containers: {ex.GetDaemonMessage()}", ex);
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
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = DockerFilters.Labels($"{ContainerLabels.Managed}={ContainerLabels.ManagedValue}", $"{ContainerLabels.Gateway}={_options.Id}"),
        };
        try
        {
            var containers = await BoundedAsync((docker, token) => docker.Containers.ListContainersAsync(parameters, token), cancellationToken)
                .ConfigureAwait(false);
            return containers.Select(c => c.ID).ToList();
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException($"the containers of gateway '{_options.Id}' could not be listed: {ex.GetDaemonMessage()}", ex);
        }
    }

    /// <summary>
    /// Cold start: pulls the image if absent, creates and starts the container and waits until its wrapper is ready.
    /// Sets <see cref="FunctionContainer.Id"/>, <see cref="FunctionContainer.Endpoint"/> and <see cref="FunctionContainer.Timeout"/>.
    /// </summary>
    /// <returns>A task that completes with how the container ended when it stops.</returns>
    /// <param name="container">The container to start.</param>
    /// <param name="cancellationToken">Ends the start and the exit watch: the gateway is stopping.</param>
    /// <exception cref="ColdStartException">The container could not be started or did not get ready in time.</exception>
    public async Task<Task<ContainerExit>> StartAsync(FunctionContainer container, CancellationToken cancellationToken)
    {
        var version = container.Version;
        using var deadline = new CancellationTokenSource(_options.ColdStartTimeout, _timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await EnsureImageAsync(version.Image, timeout.Token).ConfigureAwait(false);
            // The wait for a turn among MaxConcurrentStarts is not the start's own time: counted, the last starts of a
            // burst spent their bound queued behind the others' and failed (a 502) though each took a second once begun.
            await _starts.WaitAsync(cancellationToken).ConfigureAwait(false);
            string id;
            try
            {
                deadline.CancelAfter(_options.ColdStartTimeout);
                id = await CreateAndStartAsync(container, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _starts.Release();
            }

            var exited = WatchExitAsync(id, cancellationToken);
            var inspect = await BoundedAsync((docker, token) => docker.Containers.InspectContainerAsync(id, token), timeout.Token).ConfigureAwait(false);
            var address = inspect.NetworkSettings?.Networks is { } networks && networks.TryGetValue(_options.Network, out var endpoint)
                ? endpoint.IPAddress
                : null;
            if (string.IsNullOrEmpty(address))
            {
                throw new ColdStartException($"container of function '{version.Function}' got no address on network '{_options.Network}'");
            }

            container.Endpoint = $"http://{address}:{_options.ContainerPort.ToString(CultureInfo.InvariantCulture)}";
            container.Timeout = await WaitUntilReadyAsync(container, exited, timeout.Token).ConfigureAwait(false);
            Log.Started(_logger, ShortId(id), version.Function, version.Version);
            return exited;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ColdStartException(
                $"function '{version.Function}' was not ready within {_options.ColdStartTimeout.TotalSeconds:0} s");
        }
        catch (DockerApiException ex)
        {
            throw new ColdStartException($"function '{version.Function}' could not be started: {ex.GetDaemonMessage()}", ex);
        }
        catch (Exception ex) when (ex is ContainerRuntimeException or TimeoutException)
        {
            throw new ColdStartException($"function '{version.Function}' could not be started: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // No daemon on the socket (dockerd stopped or restarting): say so, not the socket's "Connection refused".
            throw new ColdStartException($"function '{version.Function}' could not be started: Docker is unreachable ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// Tells a refused start's causes apart. A start answers 404 both for a missing container and for a missing network,
    /// and Docker.DotNet throws <see cref="DockerContainerNotFoundException"/> for either: only the daemon's message
    /// says which (<c>No such container: 4f2a...</c> against <c>network epsilon not found</c>).
    /// </summary>
    internal static StartFailure ClassifyStartFailure(DockerApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.StatusCode != HttpStatusCode.NotFound)
        {
            return StartFailure.Other;
        }

        var message = exception.GetDaemonMessage();
        if (message.StartsWith("network ", StringComparison.OrdinalIgnoreCase) && message.EndsWith(" not found", StringComparison.OrdinalIgnoreCase))
        {
            return StartFailure.NetworkMissing;
        }

        return message.Contains("no such container", StringComparison.OrdinalIgnoreCase) ? StartFailure.ContainerMissing : StartFailure.Other;
    }

    /// <summary>
    /// Creates and starts the container; returns its id. The caller holds a turn: the daemon does creates and starts
    /// largely one at a time, so a burst of cold starts all in flight at once would all finish late together; taking
    /// them in turns lets the first calls be answered first.
    /// </summary>
    private async Task<string> CreateAndStartAsync(FunctionContainer container, CancellationToken cancellationToken)
    {
        var version = container.Version;
        for (var attempt = 1; ; attempt++)
        {
            var created = await BoundedAsync((docker, token) => docker.Containers.CreateContainerAsync(CreateParameters(version), token), cancellationToken)
                .ConfigureAwait(false);
            container.Id = created.ID;
            try
            {
                await BoundedAsync((docker, token) => docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), token), cancellationToken)
                    .ConfigureAwait(false);
                return created.ID;
            }
            catch (DockerApiException ex) when (ClassifyStartFailure(ex) == StartFailure.NetworkMissing && attempt == 1)
            {
                // The network went away while the gateway ran (a `docker network prune` while no container used it):
                // every start would fail until it is back, so make it again and start a container created for it.
                Log.NetworkMissing(_logger, _options.Network, version.Function);
                await RemoveAsync(created.ID, cancellationToken).ConfigureAwait(false);
                await EnsureNetworkAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ClassifyStartFailure(ex) is StartFailure.NetworkMissing)
            {
                throw new ColdStartException(
                    $"function '{version.Function}' could not be started: network '{_options.Network}' is missing and could not be made again", ex);
            }
            catch (DockerApiException ex) when (ClassifyStartFailure(ex) is StartFailure.ContainerMissing)
            {
                throw new ColdStartException($"function '{version.Function}' could not be started: its container was removed before it started", ex);
            }
        }
    }

    /// <summary>Creates the function containers' network unless it exists.</summary>
    private async Task EnsureNetworkAsync(CancellationToken cancellationToken)
    {
        try
        {
            var existing = await BoundedAsync((docker, token) => docker.Networks.InspectNetworkAsync(_options.Network, token), cancellationToken).ConfigureAwait(false);
            if (!EgressBridge.IsHeld(existing.Options))
            {
                Log.NetworkOutsideEgressPolicy(_logger, _options.Network);
            }

            return;
        }
        catch (DockerNetworkNotFoundException)
        {
        }

        try
        {
            // Functions must not reach each other: inter-container traffic is off; the host still reaches them.
            var parameters = EgressBridge.NetworkParameters(_options.Network);
            await BoundedAsync((docker, token) => docker.Networks.CreateNetworkAsync(parameters, token), cancellationToken).ConfigureAwait(false);
            Log.NetworkCreated(_logger, _options.Network);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Another gateway on this host created it first.
        }
    }

    private CreateContainerParameters CreateParameters(FunctionVersion version)
    {
        var config = version.Config;
        var env = config.Env.Select(e => $"{e.Key}={e.Value}").ToList();
        // After the plain variables, so a secret wins over a variable of the same name.
        env.AddRange(_secrets.EnvironmentOf(version));
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
                NanoCPUs = (long)(config.Cpu * 1_000_000_000),
                PidsLimit = _options.PidsLimit,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                NetworkMode = _options.Network,
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,nosuid,size=64m" },
                // Rotated whatever the daemon's default driver: a function printing in a loop fills at most size x files.
                LogConfig = new LogConfig
                {
                    Type = "json-file",
                    Config = new Dictionary<string, string>
                    {
                        ["max-size"] = _options.ContainerLogMaxSize,
                        ["max-file"] = _options.ContainerLogMaxFiles.ToString(CultureInfo.InvariantCulture),
                    },
                },
            },
        };
    }

    private async Task EnsureImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await BoundedAsync((docker, token) => docker.Images.InspectImageAsync(image, token), cancellationToken).ConfigureAwait(false);
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
        var progress = new PullProgress();
        try
        {
            // A stream: bounded by the cold start's time, not the request timeout.
            await _docker.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = reference.Name, Tag = reference.TagOrDigest },
                await RegistryAuthAsync(image, timeout.Token).ConfigureAwait(false),
                progress,
                timeout.Token).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException($"pulling '{image}' failed: {RegistryErrors.Explain(ex.GetDaemonMessage(), reference.Registry)}", ex);
        }

        if (progress.Error is { } error)
        {
            throw new ContainerRuntimeException($"pulling '{image}' failed: {RegistryErrors.Explain(error, reference.Registry)}");
        }
    }

    private async Task<AuthConfig?> RegistryAuthAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await _registry.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An ECR login that failed fails this cold start like a refused pull, with AWS's reason.
            throw new ContainerRuntimeException($"pulling '{image}' failed: the registry login failed: {ex.Message}", ex);
        }
    }

    private async Task<TimeSpan> WaitUntilReadyAsync(FunctionContainer container, Task<ContainerExit> exited, CancellationToken cancellationToken)
    {
        var url = container.Endpoint + WrapperProtocol.ReadyPath;
        while (true)
        {
            if (exited.IsCompleted)
            {
                var exit = exited.IsCompletedSuccessfully ? exited.Result : new ContainerExit(-1);
                var output = await TailAsync(container.Id!, cancellationToken).ConfigureAwait(false);
                var function = container.Version.Function;
                var reason = exit.OutOfMemory
                    ? $"function '{function}' ran out of memory during start (limit {Units.FormatMemory(container.Version.Config.MemoryBytes)})"
                    : $"function '{function}' exited during start (exit code {exit.ExitCode})";
                Log.StartExited(_logger, function, reason, output);
                // What the function printed may be its callers' business or not: shown only when configured, logged always.
                throw new ColdStartException(_options.ShowStartOutput && output.Length > 0
                    ? $"{reason}: {output}"
                    : $"{reason}; its output is in the gateway's log");
            }

            var fallback = container.Version.Config.Timeout ?? FunctionDefaults.RuntimeTimeout;
            if (await _probe.AskAsync(url, fallback, _options.MaxTimeout, cancellationToken).ConfigureAwait(false) is { } timeout)
            {
                return timeout;
            }

            await Task.WhenAny(exited, Task.Delay(_options.ReadinessPollInterval, _timeProvider, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The last lines a stopped container wrote, stdout and stderr in the order they came, for a failed start's message.</summary>
    private async Task<string> TailAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            // Function containers have no TTY, so their log is the multiplexed stream of stdout and stderr frames.
            using var stream = await _docker.Containers.GetContainerLogsAsync(
                id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = "5" }, cancellationToken).ConfigureAwait(false);
            using var output = new MemoryStream();
            var buffer = new byte[4096];
            while (await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false) is { EOF: false } read)
            {
                output.Write(buffer, 0, read.Count);
            }

            var lines = Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return string.Join(" | ", lines);
        }
        catch (DockerApiException)
        {
            return "";
        }
    }

    private async Task<ContainerExit> WatchExitAsync(string id, CancellationToken stopping)
    {
        try
        {
            // A stream in effect (the daemon answers when the container stops): bounded by the gateway's stop alone.
            var result = await _docker.Containers.WaitContainerAsync(id, stopping).ConfigureAwait(false);
            return new ContainerExit(result.StatusCode, OutOfMemory: result.StatusCode == KilledExitCode && await WasOomKilledAsync(id, stopping).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is DockerContainerNotFoundException or OperationCanceledException)
        {
            return new ContainerExit(-1);
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException)
        {
            // The watch broke, not necessarily the container: ask once whether it still runs.
            try
            {
                var inspect = await BoundedAsync((docker, token) => docker.Containers.InspectContainerAsync(id, token), stopping).ConfigureAwait(false);
                return inspect.State is { Running: true }
                    ? await WatchExitAsync(id, stopping).ConfigureAwait(false)
                    : new ContainerExit(inspect.State?.ExitCode ?? -1, OutOfMemory: inspect.State?.OOMKilled == true);
            }
            catch (Exception)
            {
                return new ContainerExit(-1);
            }
        }
    }

    /// <summary>Whether the kernel killed the container for its memory limit: a SIGKILL's 137 alone could be anyone's kill.</summary>
    private async Task<bool> WasOomKilledAsync(string id, CancellationToken stopping)
    {
        try
        {
            var inspect = await BoundedAsync((docker, token) => docker.Containers.InspectContainerAsync(id, token), stopping).ConfigureAwait(false);
            return inspect.State?.OOMKilled == true;
        }
        catch (Exception ex) when (ex is DockerApiException or TimeoutException or HttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Freezes a container's processes (<c>docker pause</c>).</summary>
    /// <exception cref="ContainerRuntimeException">Docker refused.</exception>
    public async Task PauseAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            await BoundedAsync((docker, token) => docker.Containers.PauseContainerAsync(id, token), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException($"container '{ShortId(id)}' could not be paused: {ex.GetDaemonMessage()}", ex);
        }
    }

    /// <summary>Thaws a paused container (<c>docker unpause</c>). A container that is not paused is fine: nothing to thaw.</summary>
    /// <exception cref="ContainerRuntimeException">Docker refused (the container is gone).</exception>
    public async Task UnpauseAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            await BoundedAsync((docker, token) => docker.Containers.UnpauseContainerAsync(id, token), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // "Container ... is not paused": its pause failed and it kept running.
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException($"container '{ShortId(id)}' could not be thawed: {ex.GetDaemonMessage()}", ex);
        }
    }

    /// <summary>Removes a container, killing it if it runs. A container already gone is fine.</summary>
    /// <exception cref="ContainerRuntimeException">Docker refused.</exception>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            await BoundedAsync(
                (docker, token) => docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, token),
                cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Removal already in progress.
        }
        catch (DockerApiException ex)
        {
            throw new ContainerRuntimeException($"container '{ShortId(id)}' could not be removed: {ex.GetDaemonMessage()}", ex);
        }
    }

    /// <summary>
    /// One non-streaming call, bounded by the request timeout as well as the caller's token, so a daemon that stops
    /// answering holds neither a cold start nor a removal for ever. Streams (pull, logs, wait) take the caller's token alone.
    /// </summary>
    /// <exception cref="TimeoutException">The request timeout passed first.</exception>
    private async Task<T> BoundedAsync<T>(Func<IDockerClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        try
        {
            return await call(_docker, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Docker did not answer within {_requestTimeout.TotalSeconds:0.#} s", ex);
        }
    }

    private Task BoundedAsync(Func<IDockerClient, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        BoundedAsync(
            async (docker, token) =>
            {
                await call(docker, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    private static string ShortId(string id) => id.Length > 12 ? id[..12] : id;

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

        [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Network '{Network}' is missing at a start of function '{Function}'; creating it again.")]
        public static partial void NetworkMissing(ILogger logger, string network, string function);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "A container of function '{Function}' did not start: {Reason}. Its last output: {Output}")]
        public static partial void StartExited(ILogger logger, string function, string reason, string output);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Network '{Network}' was made without an ep-* bridge name, so the egress policy (scripts/egress.sh) does not hold its containers: remove it (docker network rm) while no container uses it, and the gateway makes it again.")]
        public static partial void NetworkOutsideEgressPolicy(ILogger logger, string network);
    }

    /// <summary>Keeps the error a pull ends with: Docker.DotNet reports it as a message of the progress stream, not as an exception.</summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Error?.Message is { Length: > 0 } error)
            {
                Error ??= error;
            }
        }
    }
}
