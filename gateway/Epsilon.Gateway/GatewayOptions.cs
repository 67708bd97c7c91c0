using Epsilon.Core.Contracts;

namespace Epsilon.Gateway;

/// <summary>How one gateway runs functions. Bound from <c>Epsilon:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Gateway";

    /// <summary>This gateway's identity; its containers carry it in the <c>epsilon.gateway</c> label.</summary>
    public string Id { get; set; } = Environment.MachineName;

    /// <summary>The bridge network function containers run on; created at start when absent.</summary>
    public string Network { get; set; } = "epsilon";

    /// <summary>Port the wrapper runtimes listen on inside each container.</summary>
    public int ContainerPort { get; set; } = WrapperProtocol.Port;

    /// <summary>User function processes run as.</summary>
    public string ContainerUser { get; set; } = "10001:10001";

    /// <summary>Processes a container may run.</summary>
    public long PidsLimit { get; set; } = 128;

    /// <summary>
    /// Bound on a cold start's own work: the pull, then create, start and readiness from when its turn among
    /// <see cref="MaxConcurrentStarts"/> comes; the wait for that turn is not counted.
    /// </summary>
    public TimeSpan ColdStartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Containers created and started at once; more cold starts wait their turn (readiness waits are not limited).</summary>
    public int MaxConcurrentStarts { get; set; } = 2;

    /// <summary>How often a starting container's readiness endpoint is asked.</summary>
    public TimeSpan ReadinessPollInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Calls waiting for a busy function, per function version; beyond it calls get 429 at once.</summary>
    public int MaxQueueLength { get; set; } = 256;

    /// <summary>How long a call waits for a busy function before it gets 429.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What the gateway adds to a function's timeout before it cuts the call itself; the wrapper answers first.</summary>
    public TimeSpan TimeoutGrace { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest a call may run, whatever a manifest or a wrapper says: the timeout a wrapper reports at its start is
    /// clamped to it (Lambda's ceiling, 15 minutes, by default).
    /// </summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The largest request body a call may send, in bytes; a larger one gets 413 from the gateway, before any container
    /// sees it (6 MiB, the wrappers' own limit and Lambda's, by default).
    /// </summary>
    public long MaxRequestBodySize { get; set; } = 6 * 1024 * 1024;

    /// <summary>The most bytes of request line and headers a call may send (Kestrel's MaxRequestHeadersTotalSize).</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>The most request headers a call may send.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>How long a caller has to send its request line and headers.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The slowest a caller may send a request body, in bytes a second, after a grace of five seconds: a slower sender is
    /// cut off, so a trickle of bytes cannot hold a connection and a container slot for ever.
    /// </summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>
    /// Addresses or CIDR networks (<c>10.0.0.0/16</c>) of the proxies in front of the gateway: the load balancer and, in a
    /// fleet, the other gateways. Only a call from one of them has its <c>X-Forwarded-For</c>, <c>-Proto</c> and
    /// <c>-Host</c> believed; from anyone else they are replaced by what the gateway sees. Empty by default.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Show the last lines a function printed when it exited during its start in the caller's 502. Off by default: a
    /// function's output may hold what its callers must not see; the gateway's log has it either way.
    /// </summary>
    public bool ShowStartOutput { get; set; }

    /// <summary>
    /// The size at which a function container's log file is rotated (Docker's json-file <c>max-size</c>, e.g. <c>10m</c>):
    /// a function printing in a loop cannot fill the host's disk.
    /// </summary>
    public string ContainerLogMaxSize { get; set; } = "10m";

    /// <summary>How many log files of a function container are kept (json-file <c>max-file</c>).</summary>
    public int ContainerLogMaxFiles { get; set; } = 3;

    /// <summary>
    /// Freeze a container after this long without a call (zero turns it off). A frozen container uses no CPU and thaws
    /// for the next call in tens of milliseconds; it is still removed after the function's idle timeout.
    /// </summary>
    public TimeSpan PauseIdleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often idle containers are looked for.</summary>
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often this host's copies of function images the registry no longer holds (their versions collected, or their
    /// function deleted) are removed, unless a container uses them; zero turns it off.
    /// </summary>
    public TimeSpan ImageCollectInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often the function table is reloaded from the store. A redeployed function's calls may reach its previous
    /// version for up to this long after the deploy answers (a function new to the table is looked up at once).
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Run the forwarding path on the socket threads instead of handing every read and write to the thread pool:
    /// Kestrel's UnsafePreferInlineScheduling and, when the gateway has its process to itself, the runtime's inline
    /// socket completions. Nothing on that path blocks (the store is read on the thread pool), and on a VM whose cores
    /// the functions share, the hand-offs and the pool's spinning cost more CPU than the forwarding: on 2 cores the
    /// gateway's CPU per call halves and a Node hello keeps 0.95-1.0 of its direct throughput instead of 0.8-0.9.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>
    /// The domain under which functions are called by host: <c>{function}.{BaseDomain}</c> serves live and
    /// <c>{alias|vN}.{function}.{BaseDomain}</c> an alias or version, the whole path being the function's, so each function
    /// has its own browser origin. Empty (the default) turns host routing off; a wildcard DNS record and certificate
    /// for <c>*.{BaseDomain}</c> and <c>*.*.{BaseDomain}</c> are the operator's.
    /// </summary>
    public string BaseDomain { get; set; } = "";

    /// <summary>Remove this gateway's containers when it stops.</summary>
    public bool RemoveContainersOnStop { get; set; } = true;
}
