namespace Epsilon.Builder;

/// <summary>How the builder fetches and builds. Bound from <c>Epsilon:Builder</c>.</summary>
public sealed class BuilderOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Builder";

    /// <summary>Where repositories are cloned while they build; emptied after each deploy.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "epsilon-builds");

    /// <summary>Folder holding one folder per runtime (its Dockerfile.template and src/); defaults to the ones shipped with the builder.</summary>
    public string RuntimesPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "runtimes");

    /// <summary>Base image per runtime, when not <c>epsilon/runtime-{name}:latest</c> (what scripts/setup.sh builds).</summary>
    public Dictionary<string, string> BaseImages { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Build-stage image per runtime (compilers, package managers), when not <c>epsilon/runtime-{name}-build:latest</c>.</summary>
    public Dictionary<string, string> BuildImages { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A PEM bundle of extra certificate authorities that dependency installs inside image builds trust, for networks
    /// whose proxy intercepts TLS. Goes into every build context as <c>extra-ca.crt</c>; empty or absent means none.
    /// </summary>
    public string? ExtraCaBundle { get; set; } = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>The gateway's public URL; function URLs are <c>{GatewayUrl}/{function}/</c>.</summary>
    public string GatewayUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Bound on fetching a repository.</summary>
    public TimeSpan CloneTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Bound on a repository's checked-out size.</summary>
    public long MaxRepositoryBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Bound on building and pushing one deployment.</summary>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Functions of one deployment built at once.</summary>
    public int MaxParallelBuilds { get; set; } = 3;

    /// <summary>Deployments built at once; more wait their turn.</summary>
    public int MaxConcurrentDeployments { get; set; } = 2;
}
