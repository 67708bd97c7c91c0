namespace Epsilon.Core.Model;

/// <summary>Defaults for what a manifest leaves out.</summary>
public static class FunctionDefaults
{
    /// <summary>256 MiB per container.</summary>
    public const long MemoryBytes = 256L * 1024 * 1024;

    /// <summary>One core per container.</summary>
    public const double Cpu = 1.0;

    /// <summary>Node serves concurrent calls well on one event loop; eight keeps a slow call from starving others.</summary>
    public const int Concurrency = 8;

    /// <summary>Containers per function per gateway.</summary>
    public const int MaxContainers = 5;

    /// <summary>Five minutes, as Lambda-style platforms keep a container.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>What the Node wrapper uses when neither the manifest nor the function says.</summary>
    public static readonly TimeSpan RuntimeTimeout = TimeSpan.FromSeconds(15);
}
