using System.Text.RegularExpressions;
using Epsilon.Builder.Deployments;
using Epsilon.Builder.Runtimes;
using Epsilon.Core.Contracts;
using Epsilon.Core.Docker;
using Epsilon.Core.Manifest;
using Epsilon.Core.Model;
using Epsilon.Core.Registry;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Images;

/// <summary>Builds one function version's image through the Engine API and pushes it to the registry.</summary>
internal sealed partial class FunctionImageBuilder(
    IDockerClient docker,
    RuntimeCatalog runtimes,
    IOptions<RegistryOptions> registry,
    IOptions<BuilderOptions> options,
    ILogger<FunctionImageBuilder> logger)
{
    public async Task BuildAndPushAsync(ManifestFunction function, FunctionVersion version, string repositoryDirectory, DeploymentLog log,
        CancellationToken cancellationToken = default)
    {
        var runtime = runtimes.Get(function.Config.Runtime);
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = ContainerLabels.ManagedValue,
            [ContainerLabels.Function] = function.Name,
            [ContainerLabels.Version] = version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var dockerfile = DockerfileRenderer.Render(runtime, function, labels);
        log.Append($"building {version.Image} ({runtime.Name})");
        Log.Building(logger, function.Name, version.Version, version.Image);

        await using (var context = await BuildContext.CreateAsync(dockerfile, runtime.SourceDirectory, repositoryDirectory, options.Value.ExtraCaBundle, cancellationToken)
            .ConfigureAwait(false))
        {
            var parameters = new ImageBuildParameters { Tags = [version.Image] };
            try
            {
                await docker.Images.BuildImageAsync(context, parameters, new LogProgress(log, pushing: false), cancellationToken).ConfigureAwait(false);
            }
            catch (DockerBuildException ex)
            {
                // The runtime's check names the function itself; the exception adds it, so take it off once.
                var message = log.LastLineStartingWith(WrapperProtocol.CheckErrorPrefix)?[WrapperProtocol.CheckErrorPrefix.Length..] ?? $"image build failed: {ex.Message}";
                var named = $"function '{function.Name}': ";
                message = message.StartsWith(named, StringComparison.Ordinal) ? message[named.Length..] : message;
                throw new FunctionBuildException(function.Name, message, ex);
            }
        }

        var reference = ImageReference.Parse(version.Image);
        log.Append($"pushing {version.Image}");
        try
        {
            await docker.Images.PushImageAsync(reference.Name, reference.TagOrDigest, registry.Value.ToAuthConfig(),
                new LogProgress(log, pushing: true), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new FunctionBuildException(function.Name, $"pushing {version.Image} failed: {ex.Message}", ex);
        }

        log.Append($"pushed {version.Image}");
        Log.Pushed(logger, function.Name, version.Version, version.Image);
    }

    /// <summary>Writes the build stream to the deployment log as it arrives; push progress bars are left out.</summary>
    private sealed class LogProgress(DeploymentLog log, bool pushing) : IProgress<JsonMessage>
    {
        public void Report(JsonMessage value)
        {
            if (value.Stream is { Length: > 0 } stream)
            {
                // The daemon colours a RUN step's stderr; the log is plain text.
                foreach (var line in AnsiEscape().Replace(stream, "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    log.Append(line);
                }
            }
            else if (value.Error is { Length: > 0 } error)
            {
                log.Append($"error: {error}");
            }
            else if (pushing && value.Status is { Length: > 0 } status && value.Progress is null && value.ID is null)
            {
                log.Append(status);
            }
        }
    }

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
