namespace Epsilon.Core.Docker;

/// <summary>The host side of a container's configuration (limits, security options, network mode).</summary>
public sealed class HostConfig
{
    /// <summary>Memory limit in bytes; 0 means unlimited.</summary>
    public long Memory { get; set; }

    /// <summary>Memory plus swap limit in bytes; -1 means unlimited swap, 0 means the daemon's default (twice <see cref="Memory"/>).</summary>
    public long MemorySwap { get; set; }

    /// <summary>CPU quota in units of 10<sup>-9</sup> CPUs (1.5 CPUs = 1_500_000_000); 0 means unlimited.</summary>
    public long NanoCpus { get; set; }

    /// <summary>Maximum number of processes; null or 0 means unlimited.</summary>
    public long? PidsLimit { get; set; }

    /// <summary>Kernel capabilities to drop (<c>ALL</c> drops every one).</summary>
    public IList<string>? CapDrop { get; set; }

    /// <summary>Security options such as <c>no-new-privileges</c>.</summary>
    public IList<string>? SecurityOpt { get; set; }

    /// <summary>The network mode: <c>bridge</c>, <c>none</c>, <c>host</c> or a network's name or id.</summary>
    public string? NetworkMode { get; set; }

    /// <summary>Mounts the container's root filesystem read-only.</summary>
    public bool ReadonlyRootfs { get; set; }

    /// <summary>tmpfs mounts: path to mount options (for example <c>/tmp</c> to <c>rw,size=64m</c>).</summary>
    public IDictionary<string, string>? Tmpfs { get; set; }

    /// <summary>Removes the container once it exits.</summary>
    public bool AutoRemove { get; set; }

    /// <summary>Runs an init process (tini) as PID 1 to reap zombies and forward signals.</summary>
    public bool? Init { get; set; }
}
