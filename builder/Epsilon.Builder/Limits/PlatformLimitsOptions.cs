namespace Epsilon.Builder.Limits;

/// <summary>
/// The platform's ceilings on what a manifest may ask for. Bound from <c>Epsilon:Limits</c>. Those left unset follow the
/// fleet's capacity (the smallest live gateway's, as each registers it), or this VM's when no gateway has registered.
/// </summary>
public sealed class PlatformLimitsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Limits";

    /// <summary>Memory one container may have, in bytes. Default: the smallest gateway's memory capacity, at most 10 GiB.</summary>
    public long? MaxMemoryBytes { get; set; }

    /// <summary>CPU one container may have, in cores. Default: this VM's processor count.</summary>
    public double? MaxCpu { get; set; }

    /// <summary>A function's <c>maxContainers</c> at most. Default: the smallest gateway's container capacity.</summary>
    public int? MaxContainersPerFunction { get; set; }

    /// <summary>A function's <c>minWarm</c> at most: containers kept running with no call at all.</summary>
    public int MaxMinWarm { get; set; } = 5;

    /// <summary>Functions one repository may declare.</summary>
    public int MaxFunctionsPerRepository { get; set; } = 50;

    /// <summary>A function's <c>timeout</c> at most (the gateways clamp to their own Epsilon:Gateway:MaxTimeout too).</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
