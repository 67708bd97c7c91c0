using System.Text.Json.Serialization;

namespace Epsilon.Core.Model;

/// <summary>What the manifest says about one function, with defaults applied. Stored with each version.</summary>
public sealed record FunctionConfig
{
    /// <summary>Runtime name, e.g. <c>node</c>.</summary>
    public required string Runtime { get; init; }

    /// <summary>Handler file, relative to the repository root.</summary>
    public required string HandlerFile { get; init; }

    /// <summary>Name of the handler's export.</summary>
    public required string HandlerExport { get; init; }

    /// <summary>How the runtime calls the handler (e.g. Node's <c>lambda</c>); null lets the runtime tell from the export.</summary>
    public string? Style { get; init; }

    /// <summary>Per-call timeout; null lets the function's own config (or the runtime default) decide.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Memory limit of each container, in bytes.</summary>
    public long MemoryBytes { get; init; } = FunctionDefaults.MemoryBytes;

    /// <summary>CPU limit of each container, in cores.</summary>
    public double Cpu { get; init; } = FunctionDefaults.Cpu;

    /// <summary>In-flight calls one container takes at once.</summary>
    public int Concurrency { get; init; } = FunctionDefaults.Concurrency;

    /// <summary>Containers of this function one gateway runs at most.</summary>
    public int MaxContainers { get; init; } = FunctionDefaults.MaxContainers;

    /// <summary>Containers kept warm even when idle.</summary>
    public int MinWarm { get; init; }

    /// <summary>How long an unused container is kept before it is removed.</summary>
    public TimeSpan IdleTimeout { get; init; } = FunctionDefaults.IdleTimeout;

    /// <summary>Environment variables given to the function.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The names of the function's secrets each container gets as environment variables; gateways decrypt the values
    /// when they start a container. Null (and not written) when it has none, so configurations from before secrets read
    /// and hash as they did.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Secrets { get; init; }

    /// <summary>Whether the function may be called without credentials.</summary>
    public bool Public { get; init; } = true;
}
