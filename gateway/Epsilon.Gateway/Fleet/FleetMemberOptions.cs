namespace Epsilon.Gateway.Fleet;

/// <summary>This gateway as a member of the fleet: where peers reach it, what it holds, how it drains. Bound from <c>Epsilon:Gateway:Fleet</c>.</summary>
public sealed class FleetMemberOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Gateway:Fleet";

    /// <summary>
    /// The base URL peers forward calls to (e.g. <c>http://10.0.1.7:8080</c>). Default: the address Kestrel bound, with a
    /// wildcard host replaced by this machine's first non-loopback IPv4 address.
    /// </summary>
    public string? AdvertisedUrl { get; set; }

    /// <summary>
    /// A PEM file of the CA certificates that sign the peers' certificates, when peers advertise https URLs. Only these
    /// are trusted for peers then, the machine's store is not. Default: the machine's trusted roots.
    /// </summary>
    public string? PeerCaPath { get; set; }

    /// <summary>Who serves a call that reached this gateway: its function's home (default), or this gateway.</summary>
    public FleetRouting Routing { get; set; } = FleetRouting.Sticky;

    /// <summary>Function containers this gateway holds at most. Default: its memory capacity over 256 MiB.</summary>
    public int? MaxContainers { get; set; }

    /// <summary>Memory its function containers may take together, in bytes. Default: 80% of the memory this process sees.</summary>
    public long? MaxMemoryBytes { get; set; }

    /// <summary>How long a peer's word that it is saturated for a function holds before calls are sent back to it.</summary>
    public TimeSpan SaturationHintTtl { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On stop, how long the gateway keeps serving while failing its health check and out of every ranking, so the
    /// balancer and the peers stop sending before it stops listening.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On stop, how long calls under way may take to finish after the drain delay.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The memory capacity, from <see cref="MaxMemoryBytes"/> or the machine.</summary>
    internal long ResolveMaxMemoryBytes() => MaxMemoryBytes ?? (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.8);

    /// <summary>The container capacity, from <see cref="MaxContainers"/> or the memory.</summary>
    internal int ResolveMaxContainers() => MaxContainers ?? (int)Math.Clamp(ResolveMaxMemoryBytes() / (256L << 20), 1, 10_000);
}
