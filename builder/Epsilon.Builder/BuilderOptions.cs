using Epsilon.Builder.Deployments;
using Epsilon.Builder.Git;
using Epsilon.Core.Manifest;

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

    /// <summary>
    /// The Docker network builds run on (created with an <c>ep-*</c> bridge when absent): a build runs user code (install
    /// scripts, the handler load check), so it is held by the same egress policy as function containers.
    /// </summary>
    public string BuildNetwork { get; set; } = "epsilon-build";

    /// <summary>The gateway's public URL; function URLs are <c>{GatewayUrl}/{function}/</c>.</summary>
    public string GatewayUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Whether a deploy may name a local path or a file:// URL. Off by default: anyone who may deploy could otherwise
    /// deploy any repository on the builder's own disk. scripts/up.sh turns it on for the bundled example.
    /// </summary>
    public bool AllowLocalRepositories { get; set; }

    /// <summary>
    /// Credentials for private Git hosts, by host name: sent as HTTP basic auth to that host alone, through git's
    /// configuration in its environment (never in a URL, an argument, a stored repository or a log).
    /// </summary>
    public List<GitCredential> GitCredentials { get; set; } = [];

    /// <summary>
    /// A PEM bundle git verifies https Git servers against instead of the machine's, for hosts a private CA signed. It
    /// replaces the machine's bundle, so include every CA your Git hosts need.
    /// </summary>
    public string? GitCaFile { get; set; }

    /// <summary>Bound on fetching a repository.</summary>
    public TimeSpan CloneTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Bound on a repository's checked-out size.</summary>
    public long MaxRepositoryBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Bound on building and pushing one deployment, from when it gets its turn.</summary>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Bound on building one function's image; a build past it is cancelled (the daemon stops and removes its
    /// container) and fails the deployment naming this limit.
    /// </summary>
    public TimeSpan BuildImageTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Memory each build step may use, in bytes, swap included: the repository's install scripts and load check run in it.</summary>
    public long BuildMemoryBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>CPU cores each build step may use.</summary>
    public double BuildCpus { get; set; } = 1;

    /// <summary>Functions of one deployment built at once.</summary>
    public int MaxParallelBuilds { get; set; } = 3;

    /// <summary>Deployments built at once; more wait their turn.</summary>
    public int MaxConcurrentDeployments { get; set; } = 2;

    /// <summary>How long the audit log keeps an entry; older ones are deleted hourly. At least a day.</summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Deployments that may wait for their turn beyond those building; past it a deploy is answered 429 with
    /// Retry-After, so a flood of deploys cannot hold unbounded work.
    /// </summary>
    public int MaxQueuedDeployments { get; set; } = 20;

    /// <summary>
    /// Characters of a deployment's build log kept from its start; with <see cref="BuildLogTailCharacters"/> the bound on
    /// what is stored and streamed, since a build runs the repository's code, which may print without end.
    /// </summary>
    public int BuildLogHeadCharacters { get; set; } = DeploymentLog.DefaultKept;

    /// <summary>Characters of a deployment's build log kept from its end, where a failing build says why.</summary>
    public int BuildLogTailCharacters { get; set; } = DeploymentLog.DefaultKept;

    /// <summary>The largest manifest file (<c>epsilon.yaml</c> or <c>.eserveless.yaml</c>), in bytes.</summary>
    public long ManifestMaxBytes { get; set; } = ManifestLimits.Default.MaxBytes;

    /// <summary>How deep lists and mappings may nest in a manifest.</summary>
    public int ManifestMaxDepth { get; set; } = ManifestLimits.Default.MaxDepth;

    /// <summary>How many YAML nodes a manifest may hold, each alias counted as every node it stands for.</summary>
    public long ManifestMaxNodes { get; set; } = ManifestLimits.Default.MaxNodes;

    /// <summary>How long parsing a manifest may take.</summary>
    public TimeSpan ManifestParseTimeout { get; set; } = ManifestLimits.Default.MaxParseTime;

    /// <summary>
    /// Ready versions before the live one that stay within reach of a rollback: an image collector keeps them, with the
    /// live version and every alias target (<c>IAliasStore.ListKeptVersionsAsync</c>). A rollback may still name any ready version.
    /// </summary>
    public int RollbackWindow { get; set; } = 5;

    /// <summary>
    /// Ready versions per function whose images the collector keeps whatever else it removes: the newest ones, kept
    /// beside those <see cref="RollbackWindow"/>, the live version and alias targets keep.
    /// </summary>
    public int KeepVersions { get; set; } = 10;

    /// <summary>
    /// How often the garbage collector runs (unreachable versions' images leave the registry, old deployment logs are
    /// emptied); zero turns the timer off, leaving <c>POST /maintenance/collect</c>. The first pass is one interval after start.
    /// </summary>
    public TimeSpan CollectInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a finished deployment keeps its build log; the collector empties older ones (the deployment, its status, error and versions stay).</summary>
    public TimeSpan DeploymentLogRetention { get; set; } = TimeSpan.FromDays(30);
}
