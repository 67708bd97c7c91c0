using System.Collections.Concurrent;
using Epsilon.Builder.Git;
using Epsilon.Builder.Images;
using Epsilon.Builder.Limits;
using Epsilon.Builder.Runtimes;
using Epsilon.Core.Manifest;
using Epsilon.Core.Model;
using Epsilon.Core.Registry;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Deployments;

/// <summary>
/// Runs deployments in the background, all or nothing: fetch, read the manifest, claim names and versions, build and
/// push every function, and only then move every live version at once. A client that disconnects does not stop a
/// deployment; stopping the builder fails the ones still running.
/// </summary>
internal sealed partial class DeploymentRunner : IHostedService, IDisposable
{
    private readonly IFunctionStore _store;
    private readonly GitFetcher _git;
    private readonly FunctionImageBuilder _images;
    private readonly RuntimeCatalog _runtimes;
    private readonly IOptions<BuilderOptions> _options;
    private readonly IOptions<RegistryOptions> _registry;
    private readonly RolloutWaiter _rollout;
    private readonly SourceFingerprint _fingerprint;
    private readonly FunctionCeilings _ceilings;
    private readonly BuildNetwork _buildNetwork;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DeploymentRunner> _logger;
    private readonly SemaphoreSlim _slots;

    // Deployments started and not yet ended, building or waiting for a slot: bounded by the queue's size.
    private int _admitted;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, RunningDeployment> _running = new(StringComparer.Ordinal);

    public DeploymentRunner(IFunctionStore store, GitFetcher git, FunctionImageBuilder images, RuntimeCatalog runtimes,
        IOptions<BuilderOptions> options, IOptions<RegistryOptions> registry, RolloutWaiter rollout, SourceFingerprint fingerprint, TimeProvider timeProvider,
        ILogger<DeploymentRunner> logger, FunctionCeilings ceilings, BuildNetwork buildNetwork)
    {
        _buildNetwork = buildNetwork;
        _fingerprint = fingerprint;
        _ceilings = ceilings;
        _rollout = rollout;
        _store = store;
        _git = git;
        _images = images;
        _runtimes = runtimes;
        _options = options;
        _registry = registry;
        _timeProvider = timeProvider;
        _logger = logger;
        _slots = new SemaphoreSlim(options.Value.MaxConcurrentDeployments);
    }

    /// <summary>Records a deployment and starts building it, unless the queue is full.</summary>
    /// <param name="force">Build new versions even where the live ones were built from the same source.</param>
    /// <returns>The deployment; null when <see cref="BuilderOptions.MaxQueuedDeployments"/> already wait for their turn.</returns>
    public async Task<RunningDeployment?> StartAsync(RepositorySource source, string? gitRef, bool force, CancellationToken cancellationToken = default)
    {
        var options = _options.Value;
        if (Interlocked.Increment(ref _admitted) > options.MaxConcurrentDeployments + options.MaxQueuedDeployments)
        {
            Interlocked.Decrement(ref _admitted);
            Log.QueueFull(_logger, source.DisplayUrl, options.MaxQueuedDeployments);
            return null;
        }

        Deployment deployment;
        try
        {
            deployment = await _store.CreateDeploymentAsync(source.DisplayUrl, gitRef, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        var log = NewLog();
        var completion = new TaskCompletionSource<DeploymentOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new RunningDeployment(deployment, log, completion.Task);
        _running[deployment.Id] = running;
        _ = Task.Run(async () =>
        {
            try
            {
                completion.SetResult(await RunAsync(deployment, source, gitRef, force, log).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                await FailAfterCrashAsync(deployment.Id, log, ex).ConfigureAwait(false);
                completion.SetException(ex);
            }
            finally
            {
                _running.TryRemove(deployment.Id, out _);
                Interlocked.Decrement(ref _admitted);
            }
        }, CancellationToken.None);
        return running;
    }

    /// <summary>
    /// A deployment whose own failure path failed (the store refused its end) is marked failed once more, so it is not
    /// left building until the builder restarts.
    /// </summary>
    private async Task FailAfterCrashAsync(string id, DeploymentLog log, Exception exception)
    {
        Log.Crashed(_logger, id, exception);
        try
        {
            await _store.CompleteDeploymentAsync(id, succeeded: false, null, "the builder failed: " + exception.Message, log.ToString(), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.Crashed(_logger, id, ex);
        }
    }

    private DeploymentLog NewLog() => new(_options.Value.BuildLogHeadCharacters, _options.Value.BuildLogTailCharacters);

    /// <summary>A deployment still building, for its live log.</summary>
    public RunningDeployment? GetRunning(string id) => _running.GetValueOrDefault(id);

    private async Task<DeploymentOutcome> RunAsync(Deployment deployment, RepositorySource source, string? gitRef, bool force, DeploymentLog log)
    {
        var options = _options.Value;
        var workDirectory = Path.Combine(options.WorkDirectory, deployment.Id);
        var repositoryDirectory = Path.Combine(workDirectory, "repository");
        string? commit = null;
        var failure = DeploymentFailure.Internal;
        string? message;
        IReadOnlyList<ManifestError> problems = [];
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, deadline.Token);
        var cancellationToken = timeout.Token;
        var holdsSlot = false;
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            holdsSlot = true;
            // Bounded from its turn: time waiting in the queue is not the deployment's.
            deadline.CancelAfter(options.BuildTimeout);
            Log.Started(_logger, deployment.Id, deployment.Repository);

            failure = DeploymentFailure.RepositoryUnavailable;
            commit = await _git.FetchAsync(source, gitRef, repositoryDirectory, log.Append, cancellationToken).ConfigureAwait(false);

            failure = DeploymentFailure.ManifestInvalid;
            var (manifest, eserveless) = ReadManifest(repositoryDirectory, deployment.Repository);
            log.Append($"manifest declares {manifest.Functions.Count} function(s): {string.Join(", ", manifest.Functions.Select(f => f.Name))}");
            var ceilings = await _ceilings.ResolveAsync(cancellationToken).ConfigureAwait(false);
            if (FunctionCeilings.Check(manifest.Functions, ceilings) is { Count: > 0 } excesses)
            {
                throw new ManifestException(eserveless is null ? EpsilonManifest.FileName : EserverlessManifestReader.FileName, excesses);
            }

            foreach (var scheduled in eserveless?.Scheduled ?? [])
            {
                log.Append($"cron function '{scheduled.Name}' (schedule '{scheduled.Schedule}') is recorded but not run: Epsilon has no scheduler yet");
            }

            failure = DeploymentFailure.Internal;
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            var bases = new Dictionary<string, RuntimeBase>(StringComparer.Ordinal);
            foreach (var function in manifest.Functions)
            {
                sources[function.Name] = await _fingerprint.OfAsync(function, commit, cancellationToken).ConfigureAwait(false);
                bases[function.Name] = await _fingerprint.BaseOfAsync(_runtimes.Get(function.Config.Runtime), cancellationToken).ConfigureAwait(false);
            }

            if (!force && await FindUnchangedAsync(deployment.Repository, sources, cancellationToken).ConfigureAwait(false) is { } unchanged)
            {
                foreach (var function in unchanged)
                {
                    log.Append($"function '{function.Name}' is unchanged: v{function.Version} is live, built from the same commit, manifest and runtime image; no new version (deploy with force to rebuild)");
                }

                await _store.CompleteUnchangedDeploymentAsync(deployment.Id, commit, log.ToString(), unchanged, CancellationToken.None).ConfigureAwait(false);
                Log.Unchanged(_logger, deployment.Id);
                return new DeploymentOutcome(await GetAsync(deployment.Id).ConfigureAwait(false), DeploymentFailure.None, null, []) { Eserveless = eserveless };
            }

            failure = DeploymentFailure.NameTaken;
            var versions = await _store.ReserveVersionsAsync(deployment.Id, deployment.Repository,
                manifest.Functions.Select(f => KeyValuePair.Create(f.Name, f.Config)).ToList(),
                _registry.Value.ImageFor, sources, cancellationToken).ConfigureAwait(false);

            failure = DeploymentFailure.Internal;
            await _buildNetwork.EnsureAsync(cancellationToken).ConfigureAwait(false);
            failure = DeploymentFailure.BuildFailed;
            await BuildAllAsync(manifest.Functions.Zip(versions).ToList(), bases, repositoryDirectory, log, options.MaxParallelBuilds, cancellationToken)
                .ConfigureAwait(false);

            log.Append("all functions built; moving live versions");
            var revision = await _store.CompleteDeploymentAsync(deployment.Id, succeeded: true, commit, null, log.ToString(), CancellationToken.None)
                .ConfigureAwait(false);
            Log.Succeeded(_logger, deployment.Id);
            // Live now; the answer waits until the fleet serves it (bounded), so no call after it reaches the previous version.
            var rollout = await _rollout.WaitAsync(revision, _stopping.Token).ConfigureAwait(false);
            return new DeploymentOutcome(await GetAsync(deployment.Id).ConfigureAwait(false), DeploymentFailure.None, null, [])
            {
                Eserveless = eserveless,
                Rollout = rollout,
            };
        }
        catch (GitFetchException ex)
        {
            message = $"repository '{deployment.Repository}' could not be fetched: {ex.Message}";
        }
        catch (ManifestException ex)
        {
            message = ex.Message;
            problems = ex.Errors;
        }
        catch (FunctionNameTakenException ex)
        {
            message = ex.Message;
        }
        catch (FunctionBuildException ex)
        {
            message = ex.Message;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            failure = DeploymentFailure.Internal;
            message = "the builder stopped while this deployment was running";
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The repository's build was too slow: the user's to fix, as a failed build is.
            failure = DeploymentFailure.BuildFailed;
            message = $"the deployment took longer than {options.BuildTimeout.TotalMinutes:0.#} minutes, the most a deployment may (Epsilon:Builder:BuildTimeout)";
        }
        catch (Exception ex)
        {
            failure = DeploymentFailure.Internal;
            message = "the builder failed: " + ex.Message;
            Log.Crashed(_logger, deployment.Id, ex);
        }
        finally
        {
            if (holdsSlot)
            {
                _slots.Release();
            }

            TryDelete(workDirectory);
        }

        log.Append($"deployment failed: {message}");
        Log.Failed(_logger, deployment.Id, message);
        await _store.CompleteDeploymentAsync(deployment.Id, succeeded: false, commit, message, log.ToString(), CancellationToken.None)
            .ConfigureAwait(false);
        return new DeploymentOutcome(await GetAsync(deployment.Id).ConfigureAwait(false), failure, message, problems);
    }

    /// <summary>
    /// The live versions of every function when each was built by <paramref name="repository"/> from the same source;
    /// null when any function is new, changed, or not live. All or nothing, as the deploy itself.
    /// </summary>
    private async Task<IReadOnlyList<DeployedFunction>?> FindUnchangedAsync(string repository, IReadOnlyDictionary<string, string> sources,
        CancellationToken cancellationToken)
    {
        var unchanged = new List<DeployedFunction>(sources.Count);
        foreach (var (name, source) in sources)
        {
            var function = await _store.GetFunctionAsync(name, cancellationToken).ConfigureAwait(false);
            if (function?.Live is not { } live || !string.Equals(function.Repository, repository, StringComparison.Ordinal)
                || !string.Equals(live.SourceKey, source, StringComparison.Ordinal))
            {
                return null;
            }

            unchanged.Add(new DeployedFunction(name, live.Version, live.Image) { Unchanged = true });
        }

        return unchanged;
    }

    /// <summary>
    /// Builds every function, several at once when there are several. Each parallel build writes its own log, added to
    /// the deployment's whole when it ends, so no two builds' lines interleave; the first failure cancels the rest.
    /// </summary>
    private async Task BuildAllAsync(IReadOnlyList<(ManifestFunction Function, FunctionVersion Version)> builds,
        IReadOnlyDictionary<string, RuntimeBase> bases, string repositoryDirectory,
        DeploymentLog log, int parallelism, CancellationToken cancellationToken)
    {
        if (builds.Count == 1 || parallelism <= 1)
        {
            foreach (var (function, version) in builds)
            {
                await _images.BuildAndPushAsync(function, version, repositoryDirectory, log, bases[function.Name], cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await Parallel.ForEachAsync(builds, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (build, token) =>
            {
                var own = NewLog();
                try
                {
                    await _images.BuildAndPushAsync(build.Function, build.Version, repositoryDirectory, own, bases[build.Function.Name], token).ConfigureAwait(false);
                }
                finally
                {
                    log.AppendBlock(own.ToString());
                }
            }).ConfigureAwait(false);
    }

    /// <summary>Reads <c>epsilon.yaml</c>, or eserveless's <c>.eserveless.yaml</c> when the repository has only that.</summary>
    private (EpsilonManifest Manifest, EserverlessProject? Eserveless) ReadManifest(string repositoryDirectory, string repository)
    {
        bool PathExists(string relative, bool directory) => RepositoryPath.Exists(repositoryDirectory, relative, directory);

        var options = _options.Value;
        var limits = new ManifestLimits
        {
            MaxBytes = options.ManifestMaxBytes,
            MaxDepth = options.ManifestMaxDepth,
            MaxNodes = options.ManifestMaxNodes,
            MaxParseTime = options.ManifestParseTimeout,
            TimeProvider = _timeProvider,
        };
        if (ReadManifestText(repositoryDirectory, EpsilonManifest.FileName, limits) is { } yaml)
        {
            return (ManifestReader.Read(yaml, _runtimes.Rules, PathExists, limits), null);
        }

        if (ReadManifestText(repositoryDirectory, EserverlessManifestReader.FileName, limits) is { } eservelessYaml)
        {
            var project = EserverlessManifestReader.Read(eservelessYaml, repository, _runtimes.Rules, PathExists, limits);
            return (project.Manifest, project);
        }

        throw new ManifestException(EpsilonManifest.FileName,
            [new ManifestError(EpsilonManifest.FileName, 0, "the repository has no epsilon.yaml (or .eserveless.yaml) at its root")]);
    }

    /// <summary>The file's text; its size is checked before it is read, so a huge file is never in memory.</summary>
    private static string? ReadManifestText(string repositoryDirectory, string fileName, ManifestLimits limits)
    {
        var file = new FileInfo(Path.Combine(repositoryDirectory, fileName));
        if (file.LinkTarget is not null)
        {
            throw new ManifestException(fileName,
                [new ManifestError(fileName, 0, "is a symbolic link, which the builder does not follow: commit the manifest itself")]);
        }

        if (!file.Exists)
        {
            return null;
        }

        limits.CheckSize(fileName, file.Length);
        return File.ReadAllText(file.FullName);
    }

    private async Task<Deployment> GetAsync(string id) =>
        await _store.GetDeploymentAsync(id, CancellationToken.None).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"deployment '{id}' vanished from the store");

    private void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CleanupFailed(_logger, directory, ex);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var interrupted = await _store.FailInterruptedDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        if (interrupted > 0)
        {
            Log.Interrupted(_logger, interrupted);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values.Select(r => (Task)r.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _slots.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Deployment '{DeploymentId}' of '{Repository}' started.")]
        public static partial void Started(ILogger logger, string deploymentId, string repository);

        [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Deployment '{DeploymentId}' is live.")]
        public static partial void Succeeded(ILogger logger, string deploymentId);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Deployment '{DeploymentId}' failed: {Reason}")]
        public static partial void Failed(ILogger logger, string deploymentId, string? reason);

        [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Deployment '{DeploymentId}' crashed.")]
        public static partial void Crashed(ILogger logger, string deploymentId, Exception exception);

        [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Could not remove the work folder '{Directory}'.")]
        public static partial void CleanupFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Deployment '{DeploymentId}' changed nothing: every function is live from the same source.")]
        public static partial void Unchanged(ILogger logger, string deploymentId);

        [LoggerMessage(EventId = 307, Level = LogLevel.Warning,
            Message = "Deployment of '{Repository}' refused: {Queued} deployment(s) already wait for their turn (Epsilon:Builder:MaxQueuedDeployments).")]
        public static partial void QueueFull(ILogger logger, string repository, int queued);

        [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "{Count} deployment(s) left building by a stopped builder were marked failed.")]
        public static partial void Interrupted(ILogger logger, int count);
    }
}
