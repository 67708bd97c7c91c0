using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Builder.Deployments;
using Epsilon.Builder.Runtimes;
using Epsilon.Core.Contracts;
using Epsilon.Core.Docker;
using Epsilon.Core.Manifest;
using Epsilon.Core.Model;
using Epsilon.Core.Registry;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Images;

/// <summary>
/// Builds one function version's image through the Engine API and pushes it to the registry. The adapter between the
/// builder and Docker.DotNet: build and push are streams bounded by the deploy's token alone, and the errors the daemon
/// reports in them (or by refusing the call) become <see cref="FunctionBuildException"/>s naming the function.
/// </summary>
internal sealed partial class FunctionImageBuilder(
    IDockerClient docker,
    RuntimeCatalog runtimes,
    IRegistryCredentials registryCredentials,
    IOptions<BuilderOptions> options,
    TimeProvider timeProvider,
    ILogger<FunctionImageBuilder> logger)
{
    // The CFS period the CPU quota is a share of: Docker's default, 100 ms.
    private const long CpuPeriod = 100_000;

    public async Task BuildAndPushAsync(ManifestFunction function, FunctionVersion version, string repositoryDirectory, DeploymentLog log,
        RuntimeBase? builtOn = null, CancellationToken cancellationToken = default)
    {
        var runtime = runtimes.Get(function.Config.Runtime);
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = ContainerLabels.ManagedValue,
            [ContainerLabels.Function] = function.Name,
            [ContainerLabels.Version] = version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // What of its runtime it is built on, so the stale list can tell it from a base rebuilt since; null records nothing.
        foreach (var (label, value) in builtOn?.Labels ?? [])
        {
            labels[label] = value;
        }

        var settings = options.Value;
        var dockerfile = DockerfileRenderer.Render(runtime, function, labels);
        log.Append($"building {version.Image} ({runtime.Name})");
        Log.Building(logger, function.Name, version.Version, version.Image);

        await using (var context = await BuildContext.CreateAsync(dockerfile, runtime.SourceDirectory, repositoryDirectory, settings.ExtraCaBundle, cancellationToken)
            .ConfigureAwait(false))
        {
            // rm and forcerm: no intermediate container is left behind, whichever way the build ends. Each step runs the
            // repository's code (install scripts, the load check) in a container with the build's memory and CPU.
            var parameters = new ImageBuildParameters
            {
                Tags = [version.Image],
                Remove = true,
                ForceRemove = true,
                Memory = settings.BuildMemoryBytes,
                MemorySwap = settings.BuildMemoryBytes,
                CPUPeriod = CpuPeriod,
                CPUQuota = (long)Math.Ceiling(settings.BuildCpus * CpuPeriod),
                // Held by the egress policy like function containers (the deployment made sure it exists).
                NetworkMode = settings.BuildNetwork,
            };
            var progress = new LogProgress(log, pushing: false);
            using var deadline = new CancellationTokenSource(settings.BuildImageTimeout, timeProvider);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                // Cancelling closes the stream; the daemon then stops the step's container and, with forcerm, removes it.
                await docker.Images.BuildImageFromDockerfileAsync(parameters, context, authConfigs: null, headers: null, progress, bounded.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                log.Append($"error: the build took longer than {Describe(settings.BuildImageTimeout)}; cancelled");
                throw new FunctionBuildException(function.Name,
                    $"the image build took longer than {Describe(settings.BuildImageTimeout)}, the most a build may (Epsilon:Builder:BuildImageTimeout); it was cancelled");
            }
            catch (DockerApiException ex)
            {
                // A Dockerfile the daemon cannot parse or find is refused before any output: for the user a failed
                // build like a failing RUN.
                throw BuildFailed(function, log, ex.GetDaemonMessage(), ex);
            }

            if (progress.Error is { } error)
            {
                // 137 is 128 + SIGKILL: what the kernel's OOM killer does to a step past the build's memory limit.
                throw BuildFailed(function, log, error.EndsWith("non-zero code: 137", StringComparison.Ordinal)
                    ? $"a build step was killed, most likely for using more than the build's {settings.BuildMemoryBytes / (1024 * 1024)} MiB of memory (Epsilon:Builder:BuildMemoryBytes): {error}"
                    : error, innerException: null);
            }

            if (!progress.Built)
            {
                throw BuildFailed(function, log, "the build ended without reporting an image", innerException: null);
            }
        }

        var reference = ImageReference.Parse(version.Image);
        log.Append($"pushing {version.Image}");
        AuthConfig? auth;
        try
        {
            auth = await registryCredentials.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The registry login itself failed (ECR refused the signature, no AWS credentials): the deploy's error says why.
            throw new FunctionBuildException(function.Name, $"pushing {version.Image} failed: the registry login failed: {ex.Message}", ex);
        }

        var pushProgress = new LogProgress(log, pushing: true);
        try
        {
            await docker.Images.PushImageAsync(reference.Name, new ImagePushParameters { Tag = reference.TagOrDigest },
                auth, pushProgress, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new FunctionBuildException(function.Name, $"pushing {version.Image} failed: {RegistryErrors.Explain(ex.GetDaemonMessage(), reference.Registry)}", ex);
        }

        if (pushProgress.Error is { } pushError)
        {
            throw new FunctionBuildException(function.Name, $"pushing {version.Image} failed: {RegistryErrors.Explain(pushError, reference.Registry)}");
        }

        log.Append($"pushed {version.Image}");
        Log.Pushed(logger, function.Name, version.Version, version.Image);
    }

    /// <summary>
    /// The user's error for a failed build: the runtime's load check names the function and the file, so its last line
    /// is the message when there is one (taking off the function's name, which the exception adds); else the daemon's error.
    /// </summary>
    private static FunctionBuildException BuildFailed(ManifestFunction function, DeploymentLog log, string daemonError, Exception? innerException)
    {
        var message = log.LastLineStartingWith(WrapperProtocol.CheckErrorPrefix)?[WrapperProtocol.CheckErrorPrefix.Length..] ?? $"image build failed: {daemonError}";
        var named = $"function '{function.Name}': ";
        message = message.StartsWith(named, StringComparison.Ordinal) ? message[named.Length..] : message;
        return new FunctionBuildException(function.Name, message, innerException);
    }

    /// <summary>
    /// Writes the build or push stream to the deployment log as it arrives (push progress bars left out) and keeps what
    /// Docker.DotNet reports only as messages: the error that ended the stream, and whether a build produced an image.
    /// </summary>
    private sealed class LogProgress(DeploymentLog log, bool pushing) : IProgress<JSONMessage>
    {
        private const string SuccessfullyBuilt = "Successfully built ";

        /// <summary>The daemon's error (<c>The command '/bin/sh -c ...' returned a non-zero code: 1</c>), if the stream ended with one.</summary>
        public string? Error { get; private set; }

        /// <summary>The legacy builder said it built the image (the image id in <c>aux</c>, or its closing line).</summary>
        public bool Built { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Stream is { Length: > 0 } stream)
            {
                Built |= stream.StartsWith(SuccessfullyBuilt, StringComparison.Ordinal);

                // The daemon colours a RUN step's stderr; the log is plain text.
                foreach (var line in AnsiEscape().Replace(stream, "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    log.Append(line);
                }
            }
            else if (value.Error?.Message is { Length: > 0 } error)
            {
                Error ??= error;
                log.Append($"error: {error}");
            }
            else if (pushing && value.Status is { Length: > 0 } status && value.Progress is null && value.ID is null)
            {
                log.Append(status);
            }

            Built |= !pushing && value.Aux?.ExtensionData?.ContainsKey("ID") == true;
        }
    }

    private static string Describe(TimeSpan time) => time.TotalMinutes >= 1 && time.Seconds == 0
        ? $"{time.TotalMinutes:0.#} min"
        : $"{time.TotalSeconds:0.#} s";

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]", RegexOptions.CultureInvariant)]
    private static partial Regex AnsiEscape();

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Building function '{Function}' v{Version} as '{Image}'.")]
        public static partial void Building(ILogger logger, string function, int version, string image);

        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Pushed function '{Function}' v{Version} as '{Image}'.")]
        public static partial void Pushed(ILogger logger, string function, int version, string image);
    }
}
