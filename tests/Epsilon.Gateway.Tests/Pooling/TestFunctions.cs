using Epsilon.Core.Model;

namespace Epsilon.Gateway.Pooling;

/// <summary>Function versions for pool tests, with the limits a test cares about and defaults for the rest.</summary>
internal static class TestFunctions
{
    public static FunctionConfig Config(int concurrency = 1, int maxContainers = 1, int minWarm = 0, TimeSpan? idleTimeout = null) => new()
    {
        Runtime = "node",
        HandlerFile = "index.js",
        HandlerExport = "hello",
        Concurrency = concurrency,
        MaxContainers = maxContainers,
        MinWarm = minWarm,
        IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(5),
    };

    public static FunctionVersion Version(FunctionConfig config, string function = "hello", int version = 1) => new()
    {
        Function = function,
        Version = version,
        Image = $"registry.test/{function}:v{version}",
        Status = VersionStatus.Ready,
        DeploymentId = "d-0123456789abcdef",
        Config = config,
        CreatedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };
}
