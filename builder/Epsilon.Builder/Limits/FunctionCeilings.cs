using System.Globalization;
using Epsilon.Core.Fleet;
using Epsilon.Core.Manifest;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Limits;

/// <summary>
/// Holds a manifest to the platform's ceilings before anything is built: a manifest picks its own memory, CPU,
/// <c>maxContainers</c> and <c>minWarm</c>, and without a ceiling <c>minWarm: 200</c> starts 200 containers on every
/// gateway. Each excess is an error naming the key, what was asked and the ceiling with the setting that raises it.
/// </summary>
internal sealed class FunctionCeilings(IOptions<PlatformLimitsOptions> options, IFleetStore fleet, IOptions<FleetOptions> fleetOptions,
    TimeProvider timeProvider)
{
    /// <summary>No container is made bigger than Lambda's largest, whatever a gateway could hold.</summary>
    private const long LargestMemoryBytes = 10L << 30;

    /// <summary>The ceilings as they apply now: the configured ones, the rest from the fleet's smallest live gateway.</summary>
    public async Task<Ceilings> ResolveAsync(CancellationToken cancellationToken)
    {
        var limits = options.Value;
        long memory;
        int containers;
        if (limits.MaxMemoryBytes is { } configuredMemory && limits.MaxContainersPerFunction is { } configuredContainers)
        {
            (memory, containers) = (configuredMemory, configuredContainers);
        }
        else
        {
            var (gatewayMemory, gatewayContainers) = await SmallestGatewayAsync(cancellationToken).ConfigureAwait(false);
            memory = limits.MaxMemoryBytes ?? Math.Min(gatewayMemory, LargestMemoryBytes);
            containers = limits.MaxContainersPerFunction ?? gatewayContainers;
        }

        return new Ceilings(memory, limits.MaxCpu ?? Environment.ProcessorCount, containers, limits.MaxMinWarm,
            limits.MaxFunctionsPerRepository, limits.MaxTimeout);
    }

    /// <summary>Every way <paramref name="functions"/> passes a ceiling; empty when none does.</summary>
    public static IReadOnlyList<ManifestError> Check(IReadOnlyList<ManifestFunction> functions, Ceilings ceilings)
    {
        var errors = new List<ManifestError>();
        if (functions.Count > ceilings.FunctionsPerRepository)
        {
            errors.Add(new ManifestError("functions", 0,
                $"declares {functions.Count} functions; the platform allows {ceilings.FunctionsPerRepository} per repository (Epsilon:Limits:MaxFunctionsPerRepository)"));
        }

        foreach (var (name, config) in functions)
        {
            var key = $"functions.{name}";
            if (config.MemoryBytes > ceilings.MemoryBytes)
            {
                errors.Add(Over($"{key}.memory", Units.FormatMemory(config.MemoryBytes), Units.FormatMemory(ceilings.MemoryBytes), "MaxMemoryBytes"));
            }

            if (config.Cpu > ceilings.Cpu)
            {
                errors.Add(Over($"{key}.cpu", Number(config.Cpu), Number(ceilings.Cpu), "MaxCpu"));
            }

            if (config.MaxContainers > ceilings.ContainersPerFunction)
            {
                errors.Add(Over($"{key}.maxContainers", Number(config.MaxContainers), Number(ceilings.ContainersPerFunction), "MaxContainersPerFunction"));
            }

            if (config.MinWarm > ceilings.MinWarm)
            {
                errors.Add(Over($"{key}.minWarm", Number(config.MinWarm), Number(ceilings.MinWarm), "MaxMinWarm"));
            }

            if (config.Timeout > ceilings.Timeout)
            {
                errors.Add(Over($"{key}.timeout", $"{config.Timeout.Value.TotalSeconds:0.###} s", $"{ceilings.Timeout.TotalSeconds:0.###} s", "MaxTimeout"));
            }
        }

        return errors;
    }

    private static ManifestError Over(string key, string asked, string ceiling, string setting) =>
        new(key, 0, $"{asked} is above the platform's ceiling of {ceiling} (Epsilon:Limits:{setting})");

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The memory and container capacity of the smallest live gateway, or of this VM when none is registered.</summary>
    private async Task<(long MemoryBytes, int Containers)> SmallestGatewayAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var live = (await fleet.ListGatewaysAsync(cancellationToken).ConfigureAwait(false))
            .Where(g => g.State == GatewayState.Active && fleetOptions.Value.IsLive(g, now))
            .ToList();
        if (live.Count > 0)
        {
            return (live.Min(g => g.MaxMemoryBytes), live.Min(g => g.MaxContainers));
        }

        // As a gateway on this VM would size itself (FleetMemberOptions): 80% of the memory, a container per 256 MiB.
        var memory = (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.8);
        return (memory, (int)Math.Clamp(memory / (256L << 20), 1, 10_000));
    }
}

/// <summary>The ceilings a deploy is held to.</summary>
internal sealed record Ceilings(long MemoryBytes, double Cpu, int ContainersPerFunction, int MinWarm, int FunctionsPerRepository, TimeSpan Timeout);
