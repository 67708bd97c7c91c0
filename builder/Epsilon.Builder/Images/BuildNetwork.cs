using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Core.Docker;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Images;

/// <summary>
/// The network builds run on, made when absent with an <c>ep-*</c> bridge so the egress policy holds builds as it holds
/// functions: user code at build time reaches the internet (package registries) but not this host or private ranges.
/// </summary>
internal sealed partial class BuildNetwork(IDockerClient docker, IOptions<BuilderOptions> options, ILogger<BuildNetwork> logger)
{
    /// <summary>The network's name, once it exists. Looked up for every build (one call): a pruned network is made again.</summary>
    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        var name = options.Value.BuildNetwork;
        try
        {
            var existing = await docker.Networks.InspectNetworkAsync(name, cancellationToken).ConfigureAwait(false);
            if (!EgressBridge.IsHeld(existing.Options))
            {
                Log.OutsideEgressPolicy(logger, name);
            }
        }
        catch (DockerNetworkNotFoundException)
        {
            try
            {
                await docker.Networks.CreateNetworkAsync(EgressBridge.NetworkParameters(name), cancellationToken).ConfigureAwait(false);
                Log.Created(logger, name);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
            {
                // Made by a concurrent build first.
            }
        }

        return name;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Created build network '{Network}'.")]
        public static partial void Created(ILogger logger, string network);

        [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Build network '{Network}' was made without an ep-* bridge name, so the egress policy (scripts/egress.sh) does not hold builds: remove it (docker network rm) and the builder makes it again.")]
        public static partial void OutsideEgressPolicy(ILogger logger, string network);
    }
}
